// Decision constructors shared by the policies, so every policy spells its outcomes the same way.
import type { Millis } from '../domain.js';
import type { CancelReason, Decision, DeferReason, SkipReason } from './types.js';

export const SEND: Decision = Object.freeze({ kind: 'send' });

export function skip(reason: SkipReason, detail: string | null = null): Decision {
  return detail === null ? { kind: 'skip', reason } : { kind: 'skip', reason, detail };
}

export function defer(until: Millis, reason: DeferReason): Decision {
  return { kind: 'defer', until, reason };
}

export function cancel(code: CancelReason, detail: string | null = null): Decision {
  return { kind: 'cancel', reason: { code, detail } };
}
