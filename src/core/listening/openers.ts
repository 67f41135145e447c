// Which events open a concern, and how grave it is: a low survey score, a negative reply, a
// damaged or lost shipment, a return with a reason, a problem found on a call, a concern raised
// through the API. Pure; the hearing reducer (hear.ts) turns an opening into a concern and a task.
import type { StoredEvent, Survey } from '../domain.js';
import { exceptionOf, type ExceptionKind } from '../shipmentException.js';
import { SEVERITIES, type ConcernSource, type Severity } from './types.js';

/** What an event says went wrong. */
export interface Opening {
  source: ConcernSource;
  severity: Severity;
  summary: string;
}

/** Words in a negative reply that make it urgent: money back, leaving, a broken product. */
const URGENT_REPLY = /\b(refund|cancel\w*|broken|damaged|never arrived|chargeback|lawyer|complain\w*)\b/i;
/** Damaged or lost goods need a replacement now; a parcel going back or a missed attempt needs a
 * new delivery; lateness needs watching. */
const EXCEPTION_SEVERITY: Readonly<Record<ExceptionKind, Severity>> = {
  damaged: 'high',
  lost: 'high',
  returned_to_sender: 'medium',
  failed_attempt: 'medium',
  late: 'low',
};
const EXCEPTION_WORDS: Readonly<Record<ExceptionKind, string>> = {
  late: 'late',
  damaged: 'damaged',
  lost: 'lost',
  failed_attempt: 'delivery attempt failed',
  returned_to_sender: 'returned to sender',
};
const SUMMARY_CHARS = 200;

/** The concern `event` opens, or null. The customer's own words go in the summary. */
export function openingOf(event: StoredEvent): Opening | null {
  const data = event.data;
  switch (event.type) {
    case 'survey.answered': {
      const answer = surveyAnswerOf(data);
      if (answer === null) return null;
      const severity = lowAnswerSeverity(answer.survey, answer.score);
      if (severity === null) return null;
      const label = `${answer.survey.toUpperCase()} ${answer.score}`;
      const comment = textOf(data['comment']);
      return { source: 'survey', severity, summary: comment ? `${label}: ${comment}` : label };
    }
    case 'reply.received': {
      if (data['sentiment'] !== 'negative') return null;
      const text = textOf(data['text']) ?? textOf(data['subject']) ?? '';
      return {
        source: 'reply',
        severity: URGENT_REPLY.test(text) ? 'high' : 'medium',
        summary: text ? `Unhappy reply: ${text}` : 'Unhappy reply',
      };
    }
    case 'shipment.delayed':
    case 'shipment.exception': {
      // Every shipping problem is someone's to follow until it is resolved; how grave depends on
      // whether the goods, not only the date, are in trouble.
      const kind = exceptionOf(event) ?? 'late';
      const words = ['reason', 'status', 'message'].map((key) => textOf(data[key])).filter((t) => t !== null);
      const detail = words.length > 0 ? `: ${words.join('; ')}` : '';
      return {
        source: 'shipment',
        severity: EXCEPTION_SEVERITY[kind],
        summary: `Shipment ${EXCEPTION_WORDS[kind]}${detail}`,
      };
    }
    case 'order.returned': {
      const reason = textOf(data['reason']);
      return reason === null
        ? null
        : { source: 'return', severity: 'medium', summary: `Returned: ${reason}` };
    }
    case 'task.completed': {
      if (data['outcome'] !== 'problem_found') return null;
      const notes = textOf(data['notes']);
      return {
        source: 'task',
        severity: 'high',
        summary: notes ? `Problem found: ${notes}` : 'Problem found',
      };
    }
    case 'concern.raised': {
      const severity = (SEVERITIES as readonly unknown[]).includes(data['severity'])
        ? (data['severity'] as Severity)
        : 'medium';
      return { source: 'api', severity, summary: textOf(data['summary']) ?? 'Concern raised' };
    }
    case 'concern.acknowledged':
    case 'concern.resolved':
    case 'customer.contact_changed':
    case 'customer.preferences_changed':
    case 'customer.resubscribed':
    case 'customer.unsubscribed':
    case 'email.bounced':
    case 'order.cancelled':
    case 'order.placed':
    case 'order.renewed':
    case 'order.updated':
    case 'order.started':
    case 'order.onboarded':
    case 'purchase.repeated':
    case 'shipment.delivered':
    case 'shipment.in_transit':
    case 'shipment.out_for_delivery':
    case 'shipment.shipped':
      return null;
  }
}

/**
 * `data.score` with `data.survey` ('csat' | 'nps'). Without the survey name only a score above 5
 * is unambiguous (NPS); a 4 could be a happy CSAT or an unhappy NPS, so it opens nothing.
 */
export function surveyAnswerOf(data: Record<string, unknown>): { survey: Survey; score: number } | null {
  const raw = data['score'];
  const score =
    typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isInteger(score)) return null;
  const named = data['survey'];
  const survey: Survey | null = named === 'csat' || named === 'nps' ? named : score > 5 ? 'nps' : null;
  if (survey === null) return null;
  const [low, high] = survey === 'nps' ? [0, 10] : [1, 5];
  return score < low || score > high ? null : { survey, score };
}

/** NPS 0-3 high, 4-6 medium; CSAT 1 high, 2 medium; anything better opens nothing. */
function lowAnswerSeverity(survey: Survey, score: number): Severity | null {
  if (survey === 'nps') return score <= 3 ? 'high' : score <= 6 ? 'medium' : null;
  return score <= 1 ? 'high' : score === 2 ? 'medium' : null;
}

function textOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text;
}
