// Inbound e-mail from providers: POST /inbound/postmark, /inbound/mailgun and
// /inbound/sendgrid/<token> under the webhook prefix. Each checks its provider's credentials,
// reads the message, sets auto-replies and bounces aside, and appends a reply to the inbox before
// answering 200; the inbox drain matches it to its customer or drops it. Every message that
// passed the checks is answered 200, matched or not, because providers resend anything else.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';
import type { Received, ReplyProvider } from '../../integrations/replies/inbound.js';
import { pendingReplyEvent } from '../../integrations/replies/inbound.js';
import { parseForm } from '../../integrations/replies/formData.js';
import { receiveMailgun, verifyMailgun } from '../../integrations/replies/mailgun.js';
import { basicAuthMatches, receivePostmark } from '../../integrations/replies/postmark.js';
import { receiveSendGrid, tokenMatches } from '../../integrations/replies/sendgrid.js';
import type { WebhookDeps } from './index.js';
import type { InboxAppender } from './inboxAppender.js';

type Handled =
  Received | { kind: 'unauthorized'; reason: string } | { kind: 'unconfigured'; variable: string };

export function inboundReplyRoutes(app: FastifyInstance, deps: WebhookDeps, appender: InboxAppender): void {
  const replies = deps.config.replies;
  const bodyLimit = replies.maxBytes;
  const route = (
    provider: ReplyProvider,
    path: string,
    handle: (request: FastifyRequest, raw: Buffer) => Promise<Handled> | Handled,
  ): void => {
    app.post(path, { bodyLimit }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return answer(provider, await handle(request, raw), deps, appender, request, reply);
    });
  };

  route('postmark', '/inbound/postmark', (request, raw) => {
    if (replies.postmark === null)
      return { kind: 'unconfigured', variable: 'AFTERCARE_POSTMARK_INBOUND_USER/PASSWORD' };
    const { user, password } = replies.postmark;
    if (!basicAuthMatches(request.headers.authorization, user, password))
      return { kind: 'unauthorized', reason: 'bad_credentials' };
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      return { kind: 'invalid', field: 'body', problem: 'is not JSON' };
    }
    return receivePostmark(payload, raw);
  });

  route('mailgun', '/inbound/mailgun', (request, raw) => {
    const key = replies.mailgunSigningKey;
    if (key === null) return { kind: 'unconfigured', variable: 'AFTERCARE_MAILGUN_SIGNING_KEY' };
    const fields = parseForm(raw, request.headers['content-type']);
    if (fields === null)
      return { kind: 'invalid', field: 'body', problem: 'is not multipart/form-data or urlencoded' };
    const verified = verifyMailgun(fields, key, deps.clock.now());
    if (!verified.ok) return { kind: 'unauthorized', reason: verified.reason };
    return receiveMailgun(fields, raw);
  });

  // SendGrid cannot sign: the secret is the URL's last segment.
  route('sendgrid', '/inbound/sendgrid/:token', (request, raw) => {
    const token = replies.sendgridToken;
    if (token === null) return { kind: 'unconfigured', variable: 'AFTERCARE_SENDGRID_INBOUND_TOKEN' };
    if (!tokenMatches((request.params as { token?: string }).token ?? '', token))
      return { kind: 'unauthorized', reason: 'bad_token' };
    const fields = parseForm(raw, request.headers['content-type']);
    if (fields === null) return { kind: 'invalid', field: 'body', problem: 'is not multipart/form-data' };
    return receiveSendGrid(fields, raw);
  });
}

async function answer(
  provider: ReplyProvider,
  handled: Handled,
  deps: WebhookDeps,
  appender: InboxAppender,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  switch (handled.kind) {
    case 'unconfigured':
      return reply
        .code(404)
        .send(
          errorBody(
            'AFTERCARE_E_NOT_FOUND',
            `${provider} inbound mail is not configured (${handled.variable})`,
          ),
        );
    case 'unauthorized':
      request.log.warn({ source: provider, reason: handled.reason }, 'inbound mail refused');
      return reply
        .code(401)
        .send(
          errorBody('AFTERCARE_E_UNAUTHORIZED', 'the credentials or signature are missing, wrong or expired'),
        );
    case 'invalid':
      return reply.code(400).send(
        errorBody('AFTERCARE_E_INPUT_INVALID', `${handled.field} ${handled.problem}`, {
          field: handled.field,
          reason: 'unsupported_payload',
        }),
      );
    case 'ignored':
      request.log.info({ source: provider, reason: handled.reason }, 'inbound mail ignored: not a reply');
      return reply.code(200).send({ received: true, ignored: handled.reason });
    case 'reply': {
      const event = pendingReplyEvent(handled.reply, deps.clock.now());
      await appender.append([{ event, source: provider }]);
      return reply.code(200).send({ received: true, events: [{ id: event.id, status: 'queued' }] });
    }
  }
}
