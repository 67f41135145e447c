// What an escalation notice says: the e-mail subject and text, the chat line, and the webhook's
// JSON body. Written for the person who now owns the concern: what happened, since when, whose
// SLA passed, and by when they are expected to act.
import { DateTime } from 'luxon';
import type { Millis } from '../core/domain.js';
import type { EscalationNotice } from '../core/listening/ladder.js';

export const ESCALATION_EVENT_TYPE = 'concern.escalated';

function when(at: Millis, zone: string): string {
  // The zone by name: abbreviations (CET, EST) depend on the ICU data Node was built with.
  return `${DateTime.fromMillis(at, { zone }).toFormat('ccc d LLL yyyy, HH:mm')} (${zone})`;
}

const REASONS: Record<EscalationNotice['reason'], string> = {
  not_acknowledged: 'was not acknowledged in time',
  not_resolved: 'was acknowledged but not resolved in time',
};

export function noticeSubject(notice: EscalationNotice): string {
  return `[Escalated to ${notice.levelName}] ${notice.severity} concern: ${notice.summary}`;
}

/**
 * Chat markup is escaped: a summary quotes the customer, and `<!channel>` or `<https://x|y>` in
 * their words must not ping a whole channel or disguise a link (Slack's `&`, `<`, `>` rule).
 */
function chatSafe(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One line for a chat channel (Slack and Teams show `text`). */
export function noticeLine(notice: EscalationNotice): string {
  const link = notice.link ? ` ${notice.link}` : '';
  return chatSafe(
    `Escalated to ${notice.levelName}: ${notice.severity} concern ${REASONS[notice.reason]} by ` +
      `${notice.previousLevelName}. "${notice.summary}" (customer ${notice.customerId}).`,
  ).concat(link);
}

export function noticeText(notice: EscalationNotice, zone: string): string {
  const lines = [
    `A ${notice.severity} concern ${REASONS[notice.reason]} by ${notice.previousLevelName}; it is now with ${notice.levelName}.`,
    '',
    `What happened: ${notice.summary}`,
    `Customer:      ${notice.customerId}`,
  ];
  if (notice.orderId !== null) lines.push(`Order:         ${notice.orderId}`);
  lines.push(
    `Opened:        ${when(notice.openedAt, zone)}`,
    `Escalated:     ${when(notice.escalatedAt, zone)}`,
    notice.dueAt === null
      ? 'Next step:     this is the top of the ladder; nobody else will be told.'
      : `Next step:     acknowledge it by ${when(notice.dueAt, zone)}, or it climbs again.`,
  );
  if (notice.link) lines.push('', `Open it: ${notice.link}`);
  lines.push('', `Notice ${notice.id}: sent once per level; a repeat carries the same id.`);
  return lines.join('\n');
}

/** The webhook body: a Standard Webhooks envelope, plus `text` for chat incoming webhooks. */
export function noticePayload(notice: EscalationNotice, now: Millis): Record<string, unknown> {
  const iso = (at: Millis | null) => (at === null ? null : new Date(at).toISOString());
  return {
    type: ESCALATION_EVENT_TYPE,
    timestamp: new Date(now).toISOString(),
    text: noticeLine(notice),
    data: {
      id: notice.id,
      concernId: notice.concernId,
      customerId: notice.customerId,
      orderId: notice.orderId,
      level: notice.level,
      levelName: notice.levelName,
      previousLevelName: notice.previousLevelName,
      reason: notice.reason,
      severity: notice.severity,
      summary: notice.summary,
      openedAt: iso(notice.openedAt),
      escalatedAt: iso(notice.escalatedAt),
      dueAt: iso(notice.dueAt),
      link: notice.link ?? null,
    },
  };
}
