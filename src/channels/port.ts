// The Channel port: one interface for every way a touch point reaches a person (email, sms,
// webhook) or a human work queue (tasks). Errors are classified once, here.
import type { ChannelName, Millis, Purpose, TaskKind } from '../core/domain.js';

export interface OutboundMessage {
  touchPointId: string;
  /** Stable across retries and crashes; receivers de-duplicate on it. */
  idempotencyKey: string;
  /** RFC 5322 Message-ID, derived from the idempotency key (`<...@domain>`). */
  messageId: string;
  channel: ChannelName;
  purpose: Purpose;
  customerId: string;
  orderId: string;
  stepKey: string;
  to: { email: string | null; phone: string | null; name: string | null };
  subject: string;
  /** Plain-text body (also the task script for task channels). */
  text: string;
  html: string | null;
  /** Extra headers (List-Unsubscribe and the like). */
  headers: Record<string, string>;
  /** For task channels. */
  task: { kind: TaskKind; title: string; dueAt: Millis; owner: string | null } | null;
}

export interface SendReceipt {
  /** The provider's id for what was sent (SMTP response id, task id...). */
  providerId: string | null;
}

/**
 * retryable: try again later (connection refused, 4xx SMTP, 5xx HTTP, 429).
 * permanent: never retry (invalid address, 5xx SMTP rejection, 4xx HTTP).
 * uncertain: the send may have happened (timeout after the data was handed over): retried, and
 * the receiver de-duplicates on the idempotency key / Message-ID.
 */
export type ChannelErrorKind = 'retryable' | 'permanent' | 'uncertain';

export class ChannelError extends Error {
  readonly kind: ChannelErrorKind;
  readonly code: string;
  constructor(kind: ChannelErrorKind, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChannelError';
    this.kind = kind;
    this.code = code;
  }
}

export interface Channel {
  /** Which channel names this adapter serves. */
  readonly handles: readonly ChannelName[];
  send(message: OutboundMessage): Promise<SendReceipt>;
  close?(): Promise<void>;
}
