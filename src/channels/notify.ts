// Escalation notices to staff: e-mail through the configured e-mail channel (SMTP or the .eml
// outbox, the same transport customers' mail uses) and webhooks POSTed as JSON, signed per
// Standard Webhooks when a secret is set, behind the DestinationGuard. Every copy of one notice
// carries its id as Message-ID / webhook-id, so a repeat after a crash is recognisably the same.
import { Webhook } from 'standardwebhooks';
import type { Millis } from '../core/domain.js';
import type { EscalationNotice } from '../core/listening/ladder.js';
import { systemNow } from '../engine/clock.js';
import {
  targetName,
  type EscalationNotifier,
  type NoticeDelivery,
  type NoticeFailure,
} from '../engine/listening/notifier.js';
import { domainOf, messageIdFor } from '../engine/message.js';
import type { Config } from '../config.js';
import { DestinationGuard } from './destinationGuard.js';
import { post, statusError } from './httpPost.js';
import { noticePayload, noticeSubject, noticeText } from './noticeText.js';
import { ChannelError, type Channel, type OutboundMessage } from './port.js';

export interface NotifierOptions {
  /** The e-mail channel (configuredChannels(...).get('email')); null: e-mail targets fail. */
  email: Channel | null;
  /** Domain of the Message-IDs (the sender's). */
  messageDomain: string;
  guard: DestinationGuard;
  /** `whsec_...`; null sends webhooks unsigned (chat incoming webhooks ignore signatures). */
  webhookSecret: string | null;
  /** The business's zone, for the times written in e-mails. */
  zone: string;
  timeoutMs?: number;
  /** Wall-clock time for webhook-timestamp (receivers compare it with their own clock). */
  now?: () => Millis;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function createEscalationNotifier(options: NotifierOptions): EscalationNotifier {
  const signer = options.webhookSecret === null ? null : new Webhook(options.webhookSecret);
  const now = options.now ?? systemNow;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function email(notice: EscalationNotice, address: string): Promise<void> {
    if (options.email === null)
      throw new ChannelError('permanent', 'NO_EMAIL_CHANNEL', 'no e-mail channel is configured');
    const message: OutboundMessage = {
      touchPointId: notice.id,
      // One outbox file per notice and recipient; the Message-ID is the notice's alone.
      idempotencyKey: `${notice.id}:${address}`,
      messageId: messageIdFor(notice.id, options.messageDomain),
      channel: 'email',
      purpose: 'transactional',
      customerId: notice.customerId,
      orderId: notice.orderId ?? '',
      stepKey: 'escalation',
      to: { email: address, phone: null, name: null },
      subject: noticeSubject(notice),
      text: noticeText(notice, options.zone),
      html: null,
      headers: {
        'X-Aftercare-Escalation': notice.id,
        'X-Aftercare-Concern': notice.concernId,
        // Out-of-office replies have no business answering a notice.
        'Auto-Submitted': 'auto-generated',
      },
      task: null,
    };
    await options.email.send(message);
  }

  async function webhook(notice: EscalationNotice, url: string): Promise<void> {
    const destination = await options.guard.check(url);
    if (!destination.ok) {
      throw new ChannelError(
        destination.kind === 'refused' ? 'permanent' : 'retryable',
        destination.code,
        destination.reason,
      );
    }
    const at = now();
    const body = JSON.stringify(noticePayload(notice, at));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Aftercare-Webhooks/1',
      'webhook-id': notice.id,
      'webhook-timestamp': String(Math.floor(at / 1000)),
    };
    if (signer !== null) headers['webhook-signature'] = signer.sign(notice.id, new Date(at), body);
    const answer = await post({
      url: destination.url,
      pinned: destination.address,
      timeoutMs,
      body: Buffer.from(body),
      headers,
    });
    if (answer.status < 200 || answer.status >= 300) throw statusError(answer, destination.url.host);
  }

  return {
    async notify(notice) {
      const delivery: NoticeDelivery = { delivered: [], failed: [] };
      // One after the other: a retry later sends to every target again, and those that already
      // have it recognise the id.
      for (const target of notice.targets) {
        const name = targetName(target);
        try {
          if (target.kind === 'email') await email(notice, target.address);
          else await webhook(notice, target.url);
          delivery.delivered.push(name);
        } catch (error) {
          delivery.failed.push(failureOf(name, error));
        }
      }
      return delivery;
    },
  };
}

function failureOf(target: string, error: unknown): NoticeFailure {
  if (error instanceof ChannelError)
    return { target, kind: error.kind, code: error.code, message: error.message };
  // Not classified by a channel: assume it may work next time rather than give up on it.
  const message = error instanceof Error ? error.message : String(error);
  return { target, kind: 'retryable', code: 'UNEXPECTED', message };
}

/** The notifier as the configuration sets it up; `email` is the process's e-mail channel. */
export function configuredNotifier(config: Readonly<Config>, email: Channel | null): EscalationNotifier {
  return createEscalationNotifier({
    email,
    messageDomain: domainOf(config.business.fromEmail),
    guard: new DestinationGuard({ allow: config.integrations.webhookAllow }),
    webhookSecret: config.escalation.webhookSecret,
    zone: config.policy.defaultTimezone,
  });
}
