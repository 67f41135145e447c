// Whose reply is it: In-Reply-To first, then each References id (most recent first), read back
// to the touch point we sent (engine/messageId.ts) and so to its customer and order; failing
// that, the sender's address. The inbox drain runs every waiting reply through this just before
// intake: a reply nobody matches is dropped, never made into a new customer.
import type { Customer, DomainEvent } from '../../core/domain.js';
import { isMailbox } from '../../core/mailbox.js';
import { touchPointIdFromMessageId } from '../../engine/messageId.js';
import type { Intake } from '../../engine/intake.js';
import type { IntakeResult } from '../../store/ports/intake.js';
import type { ReadStore } from '../../store/ports/reads.js';
import { pendingReplyOf, type InboundReply, type ReplyProvider } from './inbound.js';
import { toneOf, type Tone } from './tone.js';

export const MATCHED_BY = ['in-reply-to', 'references', 'address'] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];

/** `data` of a stored `reply.received` event. */
export interface ReplyData {
  from: string;
  subject: string;
  text: string;
  sentiment: Tone;
  sentimentScore: number;
  touchPointId: string | null;
  messageId: string | null;
  matchedBy: MatchedBy;
  provider: ReplyProvider;
}

/** Why a reply was not stored; the drain counts it as rejected under this reason. */
export const UNMATCHED_REPLY = 'unmatched_reply';

export type ReplyReads = Pick<ReadStore, 'getTouchPoint' | 'getCustomer' | 'findCustomerByEmail'>;

/** The event to store for `reply`, or null when it belongs to no customer we know. */
export async function matchReply(
  reads: ReplyReads,
  reply: InboundReply,
  pending: DomainEvent,
): Promise<DomainEvent | null> {
  const threads: [MatchedBy, string[]][] = [
    ['in-reply-to', reply.inReplyTo],
    ['references', reply.references],
  ];
  for (const [matchedBy, ids] of threads) {
    for (const id of ids) {
      const touchPointId = touchPointIdFromMessageId(id);
      if (touchPointId === null) continue;
      const touchPoint = await reads.getTouchPoint(touchPointId);
      if (touchPoint === null) continue;
      // An erased customer stays erased: their touch points remain (cancelled), their row too,
      // without address and with only the time of the erasure; nothing of a reply is kept.
      const customer = await reads.getCustomer(touchPoint.customerId);
      if (customer === null || isErased(customer)) return null;
      return replyEvent(pending, reply, touchPoint.customerId, touchPoint.orderId, touchPointId, matchedBy);
    }
  }
  // Only one bare sender address can name a customer: a list or a smuggled header names nobody.
  if (!isMailbox(reply.from)) return null;
  const customer = await reads.findCustomerByEmail(reply.from);
  if (customer === null || isErased(customer)) return null;
  return replyEvent(pending, reply, customer.id, null, null, 'address');
}

/** What store/erasure.ts leaves on an erased customer. */
function isErased(customer: Customer): boolean {
  return customer.attributes.erased_at !== undefined;
}

function replyEvent(
  pending: DomainEvent,
  reply: InboundReply,
  customerId: string,
  orderId: string | null,
  touchPointId: string | null,
  matchedBy: MatchedBy,
): DomainEvent {
  // The text alone: a reply's subject is mostly ours ("Re: Thank you for your order").
  const { tone, score } = toneOf(reply.text.trim() === '' ? reply.subject : reply.text);
  const data: ReplyData = {
    from: reply.from,
    subject: reply.subject,
    text: reply.text,
    sentiment: tone,
    sentimentScore: score,
    touchPointId,
    messageId: reply.messageId,
    matchedBy,
    provider: reply.provider,
  };
  return { id: pending.id, type: 'reply.received', at: pending.at, customerId, orderId, data: { ...data } };
}

/**
 * Intake as the inbox drain sees it, with waiting replies matched first. Results keep the
 * order of `events`; an unmatched reply's result is rejected with UNMATCHED_REPLY (the drain logs
 * and counts it, and the entry leaves the inbox).
 */
export function matchingReplies(intake: Pick<Intake, 'ingest'>, reads: ReplyReads): Pick<Intake, 'ingest'> {
  return {
    async ingest(events) {
      const results: (IntakeResult | null)[] = [];
      const kept: DomainEvent[] = [];
      for (const event of events) {
        const reply = pendingReplyOf(event);
        const matched = reply === null ? event : await matchReply(reads, reply, event);
        if (matched === null) {
          results.push(unmatched(event.id));
        } else {
          results.push(null);
          kept.push(matched);
        }
      }
      const applied = kept.length > 0 ? await intake.ingest(kept) : [];
      let next = 0;
      return results.map((result) => result ?? applied[next++]!);
    },
  };
}

function unmatched(eventId: string): IntakeResult {
  return {
    eventId,
    duplicate: false,
    customerId: null,
    orderId: null,
    planned: 0,
    cancelled: 0,
    rejected: UNMATCHED_REPLY,
  };
}
