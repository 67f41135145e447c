// One HTTP(S) POST for the channels that speak HTTP (webhook, SMS), with the outcome classified
// once: 2xx done; 429, 408 and 5xx retryable; other 4xx permanent; a redirect refused (it could
// lead anywhere); network failures retryable before the request was handed over, uncertain after.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ChannelError, type ChannelErrorKind } from './port.js';
import type { ResolvedAddress } from './destinationGuard.js';

export interface HttpPost {
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
  /** Connect to this address instead of resolving the host again (the guard's approved one). */
  pinned?: ResolvedAddress;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first 64 KiB of the answer: enough for any error document. */
  body: string;
}

const MAX_ANSWER = 64 * 1024;

/** Network error codes that say nothing reached the server. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for all addresses when it may race IPv4 and IPv6 (autoSelectFamily).
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

/** Sends the request once. Resolves with any HTTP answer; rejects with a classified ChannelError. */
export function post(request: HttpPost): Promise<HttpAnswer> {
  const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve, reject) => {
    let handedOver = false;
    let settled = false;
    const fail = (error: ChannelError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const req = send(request.url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(request.body.length) },
      agent: false,
      ...(request.pinned ? { lookup: pinnedLookup(request.pinned) } : {}),
    });
    const timer = setTimeout(() => {
      // After the body went out the receiver may have acted on it: a resend must be deduplicated.
      const kind: ChannelErrorKind = handedOver ? 'uncertain' : 'retryable';
      fail(
        new ChannelError(
          kind,
          'TIMEOUT',
          `no answer from ${request.url.host} within ${request.timeoutMs} ms`,
        ),
      );
      req.destroy();
    }, request.timeoutMs);
    req.on('finish', () => {
      handedOver = true;
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ECONNECTION';
      const kind: ChannelErrorKind = handedOver && !NOT_SENT.has(code) ? 'uncertain' : 'retryable';
      fail(new ChannelError(kind, code, `request to ${request.url.host} failed (${code})`, { cause: error }));
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('error', (error: NodeJS.ErrnoException) => {
        fail(
          new ChannelError(
            'uncertain',
            error.code ?? 'ECONNRESET',
            `answer from ${request.url.host} broke off`,
          ),
        );
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).subarray(0, MAX_ANSWER).toString('utf8'),
        });
      });
    });
    req.end(request.body);
  });
}

/** The kind of a non-2xx answer. */
export function kindOfStatus(status: number): ChannelErrorKind {
  if (status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'permanent';
}

/** A ChannelError for an answer that is not 2xx; `code` defaults to HTTP_<status>. */
export function statusError(
  answer: HttpAnswer,
  host: string,
  code?: string,
  kind?: ChannelErrorKind,
): ChannelError {
  if (answer.status >= 300 && answer.status < 400) {
    // Not followed: a redirect could point anywhere, including where the guard would refuse.
    return new ChannelError(
      'permanent',
      'REDIRECT_REFUSED',
      `${host} answered ${answer.status} (a redirect); redirects are not followed`,
    );
  }
  return new ChannelError(
    kind ?? kindOfStatus(answer.status),
    code ?? `HTTP_${answer.status}`,
    `${host} answered ${answer.status}`,
  );
}
