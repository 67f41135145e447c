// Configuration of inbound replies: the optional SMTP listener and the secrets of the providers'
// inbound webhooks (Postmark, Mailgun, SendGrid). config.ts merges these variables into its own;
// docs/configuration.md and docs/replies.md document them.
import type { z } from 'zod';
import { REDACTED, printAs } from './redact.js';
import { parseByteSize, parseHost, parsePort } from './http.js';
import type { Parsed } from './values.js';
import { variable } from './env.js';
import { basicAuthPair, parseBasicAuthUser, parseWebhookSecret } from './webhookCredentials.js';

export interface InboundSmtpConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
}

export interface RepliesConfig {
  /** Null: no SMTP listener. */
  smtp: InboundSmtpConfig | null;
  /** Largest inbound message taken, in bytes (SMTP and the providers' webhooks). */
  maxBytes: number;
  /** HTTP Basic credentials Postmark's inbound webhook URL carries. */
  postmark: { user: string; password: string } | null;
  /** Mailgun's HTTP webhook signing key. */
  mailgunSigningKey: string | null;
  /** The secret last segment of SendGrid's Inbound Parse URL. */
  sendgridToken: string | null;
}

export const REPLIES_DEFAULTS = { smtpHost: '127.0.0.1', maxSize: '10mb' } as const;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

function parseToken(raw: string): Parsed<string> {
  return /^[A-Za-z0-9_-]{24,128}$/.test(raw)
    ? ok(raw)
    : problem('must be 24-128 letters, digits, "-" or "_" (it is a URL path segment)');
}

export const REPLIES_ENV = {
  AFTERCARE_INBOUND_SMTP_PORT: variable(parsePort),
  AFTERCARE_INBOUND_SMTP_HOST: variable(parseHost),
  AFTERCARE_INBOUND_MAX_SIZE: variable(parseByteSize),
  AFTERCARE_POSTMARK_INBOUND_USER: variable(parseBasicAuthUser),
  AFTERCARE_POSTMARK_INBOUND_PASSWORD: variable(parseWebhookSecret),
  AFTERCARE_MAILGUN_SIGNING_KEY: variable(parseWebhookSecret),
  AFTERCARE_SENDGRID_INBOUND_TOKEN: variable(parseToken),
};

type RepliesEnv = { [K in keyof typeof REPLIES_ENV]: z.output<(typeof REPLIES_ENV)[K]> };

export interface RepliesIssue {
  variable: string;
  problem: string;
}

export function loadReplies(values: Partial<RepliesEnv>, issues: RepliesIssue[]): RepliesConfig {
  const port = values.AFTERCARE_INBOUND_SMTP_PORT;
  if (port === undefined && values.AFTERCARE_INBOUND_SMTP_HOST !== undefined)
    issues.push({
      variable: 'AFTERCARE_INBOUND_SMTP_PORT',
      problem: 'is required once AFTERCARE_INBOUND_SMTP_HOST is set (the listener starts on that port)',
    });
  const postmark = basicAuthPair(
    values.AFTERCARE_POSTMARK_INBOUND_USER,
    values.AFTERCARE_POSTMARK_INBOUND_PASSWORD,
    {
      user: 'AFTERCARE_POSTMARK_INBOUND_USER',
      password: 'AFTERCARE_POSTMARK_INBOUND_PASSWORD',
      what: 'Postmark inbound',
    },
    issues,
  );
  const config: RepliesConfig = {
    smtp:
      port === undefined
        ? null
        : { host: values.AFTERCARE_INBOUND_SMTP_HOST ?? REPLIES_DEFAULTS.smtpHost, port },
    maxBytes: values.AFTERCARE_INBOUND_MAX_SIZE ?? must(parseByteSize(REPLIES_DEFAULTS.maxSize)),
    postmark,
    mailgunSigningKey: values.AFTERCARE_MAILGUN_SIGNING_KEY ?? null,
    sendgridToken: values.AFTERCARE_SENDGRID_INBOUND_TOKEN ?? null,
  };
  return printAs(config, () => ({
    ...config,
    postmark: config.postmark && { user: config.postmark.user, password: REDACTED },
    mailgunSigningKey: config.mailgunSigningKey && REDACTED,
    sendgridToken: config.sendgridToken && REDACTED,
  }));
}

function must<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`a built-in default does not parse: ${parsed.problem}`);
  return parsed.value;
}
