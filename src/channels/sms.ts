// The SMS channel, through a Twilio-compatible API: POST form-encoded To/From/Body to
// /2010-04-01/Accounts/{sid}/Messages.json with basic auth. Numbers are validated and put in
// E.164 with libphonenumber-js first; a bad number fails for good, and no error or log line
// ever carries the number itself.
import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js';
import type { SmsConfig } from '../config/integrations.js';
import { post, statusError, type HttpAnswer } from './httpPost.js';
import {
  ChannelError,
  type Channel,
  type ChannelErrorKind,
  type OutboundMessage,
  type SendReceipt,
} from './port.js';

export interface SmsChannelOptions extends SmsConfig {
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export type PhoneCheck = { ok: true; e164: string } | { ok: false; problem: string };

const LENGTH_PROBLEMS: Record<string, string> = {
  TOO_SHORT: 'is too short',
  TOO_LONG: 'is too long',
  INVALID_LENGTH: 'has a length no number of its country has',
  INVALID_COUNTRY: 'has no country code and no default country is set (AFTERCARE_SMS_DEFAULT_COUNTRY)',
  NOT_A_NUMBER: 'is not a phone number',
};

/** E.164 for a number as customers write it; the problem is phrased without the number. */
export function normalizePhone(raw: string, defaultCountry: string | null): PhoneCheck {
  const country = (defaultCountry ?? undefined) as CountryCode | undefined;
  const trimmed = raw.trim();
  if (!trimmed.startsWith('+') && country === undefined)
    return { ok: false, problem: LENGTH_PROBLEMS.INVALID_COUNTRY! };
  const lengthProblem = validatePhoneNumberLength(trimmed, country);
  if (lengthProblem === 'INVALID_COUNTRY') return { ok: false, problem: 'has an unknown country code' };
  if (lengthProblem !== undefined)
    return { ok: false, problem: LENGTH_PROBLEMS[lengthProblem] ?? 'is not a valid number' };
  const phone = parsePhoneNumberFromString(trimmed, country);
  if (phone === undefined) return { ok: false, problem: 'is not a phone number' };
  if (!phone.isValid())
    return {
      ok: false,
      problem: `is not a valid number for ${phone.country ?? `+${phone.countryCallingCode}`}`,
    };
  return { ok: true, e164: phone.number };
}

/**
 * Twilio error codes (in a 4xx answer) that are about the moment, not the message: the sender's
 * queue is full, or a concurrency limit was hit.
 */
const RETRYABLE_PROVIDER_CODES = new Set([20429, 21611, 30001]);

export function createSmsChannel(options: SmsChannelOptions): Channel {
  return new SmsChannel(options);
}

class SmsChannel implements Channel {
  readonly handles = ['sms'] as const;
  private readonly url: URL;
  private readonly authorization: string;

  constructor(private readonly options: SmsChannelOptions) {
    this.url = new URL(
      `${options.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`,
    );
    this.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    if (!message.to.phone) {
      throw new ChannelError(
        'permanent',
        'NO_RECIPIENT',
        `touch point ${message.touchPointId} has no phone number`,
      );
    }
    const phone = normalizePhone(message.to.phone, this.options.defaultCountry);
    if (!phone.ok) {
      throw new ChannelError('permanent', 'PHONE_INVALID', `the customer's phone number ${phone.problem}`);
    }
    const form = new URLSearchParams({ To: phone.e164, Body: message.text });
    // A messaging service picks the sender itself (number pools, alphanumeric ids).
    form.set(this.options.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', this.options.from);
    const answer = await post({
      url: this.url,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      body: Buffer.from(form.toString()),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: this.authorization,
        'user-agent': 'Aftercare-SMS/1',
        // Twilio ignores it; compatible gateways that de-duplicate can use it.
        'idempotency-key': message.idempotencyKey,
      },
    });
    if (answer.status >= 200 && answer.status < 300) return { providerId: providerSid(answer) };
    throw smsError(answer, this.url.host);
  }
}

function providerSid(answer: HttpAnswer): string | null {
  try {
    const body = JSON.parse(answer.body) as { sid?: unknown };
    return typeof body.sid === 'string' ? body.sid : null;
  } catch {
    return null;
  }
}

function providerCode(answer: HttpAnswer): number | null {
  try {
    const body = JSON.parse(answer.body) as { code?: unknown };
    return typeof body.code === 'number' && Number.isInteger(body.code) ? body.code : null;
  } catch {
    return null;
  }
}

/** Twilio answers errors as `{ code, message, status }`; the code decides, never the message. */
function smsError(answer: HttpAnswer, host: string): ChannelError {
  const code = providerCode(answer);
  // Our credentials or account: every message would fail alike until an operator fixes them,
  // so none is given up (as with SMTP authentication).
  const setup = answer.status === 401 || answer.status === 403;
  const kind: ChannelErrorKind | undefined =
    setup || (code !== null && RETRYABLE_PROVIDER_CODES.has(code)) ? 'retryable' : undefined;
  return statusError(answer, host, code !== null ? `SMS_${code}` : undefined, kind);
}
