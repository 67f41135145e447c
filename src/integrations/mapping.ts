// What a provider mapper makes of one verified payload: domain events for intake, a topic
// Aftercare has nothing to do with (accepted and ignored), or a payload it cannot read.
import type { DomainEvent } from '../core/domain.js';

export type Mapped =
  | { kind: 'events'; events: DomainEvent[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; field: string; problem: string };

export const events = (...list: DomainEvent[]): Mapped => ({ kind: 'events', events: list });
export const ignored = (reason: string): Mapped => ({ kind: 'ignored', reason });
export const invalid = (field: string, problem: string): Mapped => ({ kind: 'invalid', field, problem });

const MAPPED_KINDS: ReadonlySet<unknown> = new Set(['events', 'ignored', 'invalid']);

/**
 * Tells a mapper's early answer from the value it was building. That value may have a `kind` of
 * its own (an order's kind of sale: goods, service, software), so the kind's value decides.
 */
export function isMapped(value: object): value is Mapped {
  return 'kind' in value && MAPPED_KINDS.has(value.kind);
}

/** How a signature check ended; every failure is a 401, the reason goes to logs and metrics. */
export type Verification =
  { ok: true } | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'stale_timestamp' };
