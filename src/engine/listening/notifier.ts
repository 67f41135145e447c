// The port the escalation sweep tells people through: one notice, every target of its level,
// and what could not be delivered, classified like channel errors. channels/notify.ts is the
// adapter (e-mail and webhooks); tests and simulate may pass their own.
import type { EscalationNotice, NotifyTarget } from '../../core/listening/ladder.js';
import type { ChannelErrorKind } from '../../channels/port.js';

export interface NoticeFailure {
  /** `email lead@shop.example` or `webhook hooks.slack.com` (a webhook's path may be a token). */
  target: string;
  /** retryable or uncertain: try again next sweep; permanent: trying again cannot help. */
  kind: ChannelErrorKind;
  code: string;
  message: string;
}

export interface NoticeDelivery {
  delivered: string[];
  failed: NoticeFailure[];
}

export interface EscalationNotifier {
  /** Delivers to every target of the notice; never throws for a target that failed. */
  notify(notice: EscalationNotice): Promise<NoticeDelivery>;
}

/**
 * Tells nobody and keeps every notice, all reported delivered: for `simulate` and the demo,
 * where nothing may leave the machine but what would have been sent is worth showing.
 */
export function recordingNotifier(): EscalationNotifier & { readonly notices: EscalationNotice[] } {
  const notices: EscalationNotice[] = [];
  return {
    notices,
    notify(notice) {
      notices.push(notice);
      return Promise.resolve({ delivered: notice.targets.map(targetName), failed: [] });
    },
  };
}

/** `email lead@shop.example` or `webhook hooks.slack.com` (a webhook's path may be a token). */
export function targetName(target: NotifyTarget): string {
  if (target.kind === 'email') return `email ${target.address}`;
  return `webhook ${URL.canParse(target.url) ? new URL(target.url).host : 'invalid-url'}`;
}
