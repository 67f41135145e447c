// The webhook channel: each touch point on channel `webhook` is POSTed as JSON to every
// configured endpoint, signed per Standard Webhooks with that endpoint's secret. webhook-id is
// the touch point's idempotency key, so a retry or a crash-resend is recognisably the same
// message. Every destination passes the DestinationGuard and is connected to at the address the
// guard approved.
import { systemNow } from '../engine/clock.js';
import { Webhook } from 'standardwebhooks';
import type { Millis } from '../core/domain.js';
import type { WebhookEndpoint } from '../config/integrations.js';
import type { DestinationGuard } from './destinationGuard.js';
import { post, statusError } from './httpPost.js';
import { ChannelError, type Channel, type OutboundMessage, type SendReceipt } from './port.js';

export interface WebhookChannelOptions {
  endpoints: readonly WebhookEndpoint[];
  guard: DestinationGuard;
  timeoutMs?: number;
  /**
   * Wall-clock time for webhook-timestamp: receivers check it against their own clock to refuse
   * replays, so it is real time even when the dispatcher runs on a virtual clock.
   */
  now?: () => Millis;
}

export const WEBHOOK_EVENT_TYPE = 'touch_point.due';
const DEFAULT_TIMEOUT_MS = 10_000;

/** The JSON body: the Standard Webhooks envelope around the rendered message. */
export function webhookPayload(message: OutboundMessage, now: Millis): Record<string, unknown> {
  return {
    type: WEBHOOK_EVENT_TYPE,
    timestamp: new Date(now).toISOString(),
    data: {
      touchPointId: message.touchPointId,
      idempotencyKey: message.idempotencyKey,
      messageId: message.messageId,
      channel: message.channel,
      purpose: message.purpose,
      stepKey: message.stepKey,
      customerId: message.customerId,
      orderId: message.orderId,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
    },
  };
}

export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  return new WebhookChannel(options);
}

class WebhookChannel implements Channel {
  readonly handles = ['webhook'] as const;
  private readonly signers: { endpoint: WebhookEndpoint; signer: Webhook }[];
  private readonly timeoutMs: number;
  private readonly now: () => Millis;

  constructor(private readonly options: WebhookChannelOptions) {
    this.signers = options.endpoints.map((endpoint) => ({ endpoint, signer: new Webhook(endpoint.secret) }));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? systemNow;
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    if (this.signers.length === 0) {
      throw new ChannelError(
        'permanent',
        'NO_ENDPOINT',
        'no webhook endpoint is configured (AFTERCARE_WEBHOOK_URL)',
      );
    }
    // One after the other: a failure stops the touch point, and its retry sends to every endpoint
    // again; those that already have it recognise the webhook-id.
    const receipts: string[] = [];
    for (const { endpoint, signer } of this.signers) {
      receipts.push(await this.deliver(endpoint, signer, message));
    }
    return { providerId: receipts.join(' ') };
  }

  private async deliver(
    endpoint: WebhookEndpoint,
    signer: Webhook,
    message: OutboundMessage,
  ): Promise<string> {
    const destination = await this.options.guard.check(endpoint.url);
    if (!destination.ok) {
      throw new ChannelError(
        destination.kind === 'refused' ? 'permanent' : 'retryable',
        destination.code,
        destination.reason,
      );
    }
    const now = this.now();
    const body = JSON.stringify(webhookPayload(message, now));
    const answer = await post({
      url: destination.url,
      pinned: destination.address,
      timeoutMs: this.timeoutMs,
      body: Buffer.from(body),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Aftercare-Webhooks/1',
        'webhook-id': message.idempotencyKey,
        'webhook-timestamp': String(Math.floor(now / 1000)),
        'webhook-signature': signer.sign(message.idempotencyKey, new Date(now), body),
      },
    });
    if (answer.status < 200 || answer.status >= 300) throw statusError(answer, destination.url.host);
    return `${destination.url.host}:${answer.status}`;
  }
}
