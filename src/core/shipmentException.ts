// What went wrong with a parcel, as the carrier or the shop reported it: late, damaged, lost, a
// failed delivery attempt, or on its way back to us. Each kind is a lifecycle moment of its own
// (late is `delayed`), so each gets its own message; all of them open a concern (listening/openers.ts).
import type { DomainEvent, Moment, StoredEvent } from './domain.js';

export const EXCEPTION_KINDS = ['late', 'damaged', 'lost', 'failed_attempt', 'returned_to_sender'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** The moment each kind marks on the order. */
export const EXCEPTION_MOMENT: Readonly<Record<ExceptionKind, Moment>> = {
  late: 'delayed',
  damaged: 'damaged',
  lost: 'lost',
  failed_attempt: 'failed_attempt',
  returned_to_sender: 'returned_to_sender',
};

/** Words in a carrier's text that name a kind, most serious first (a lost parcel is also late). */
const WORDS: readonly [ExceptionKind, RegExp][] = [
  ['lost', /\b(lost|missing|stolen|not found|cannot be located)\b/i],
  ['damaged', /damag|destroyed|broken|crushed/i],
  ['returned_to_sender', /return(ed|ing)? to (the )?(sender|shipper|origin)|\brts\b/i],
  [
    'failed_attempt',
    /attempt|no one (was )?(at )?home|nobody home|recipient (not available|absent)|missed delivery|not delivered/i,
  ],
];

/** The fields a report's words may be in (a carrier's message, a shop's reason). */
const TEXT_FIELDS = ['exception', 'reason', 'status', 'message', 'subtag'] as const;

export function isExceptionKind(value: unknown): value is ExceptionKind {
  return typeof value === 'string' && (EXCEPTION_KINDS as readonly string[]).includes(value);
}

/**
 * The kind a shipment.delayed or shipment.exception event reports: `data.exception` when it
 * names a kind, else what the report's words say, else late. Null for any other event.
 */
export function exceptionOf(event: Pick<DomainEvent | StoredEvent, 'type' | 'data'>): ExceptionKind | null {
  if (event.type !== 'shipment.delayed' && event.type !== 'shipment.exception') return null;
  const named = event.data['exception'];
  if (isExceptionKind(named)) return named;
  const text = TEXT_FIELDS.map((key) => event.data[key])
    .filter((value): value is string => typeof value === 'string')
    .join(' ');
  for (const [kind, words] of WORDS) if (words.test(text)) return kind;
  return 'late';
}
