// What an erased customer leaves behind, the same on every store adapter: ids and times only,
// so replayed provider events are still recognised, and nothing that names or describes a person.
import type { Millis } from '../core/domain.js';
import type { Reason } from '../core/reasons.js';
import { NEUTRAL_TEMPERATURE } from '../core/temperature.js';

/** Reason recorded on the touch points, enrollments and suppression entry an erasure ends. */
export const ERASED_REASON = 'erased';
/** Title left on an erased customer's tasks (the script, outcome and notes are emptied). */
export const ERASED_TASK_TITLE = '(erased)';
export const ERASED_TEMPERATURE = NEUTRAL_TEMPERATURE;

/** The only attribute an erased customer keeps: when it happened. */
export function erasedAttributes(at: Millis): Record<string, unknown> {
  return { erased_at: at };
}

/** The settings row holding the install's secret key (keyed customer ids and tombstones). */
export const INSTALL_KEY_SETTING = 'install_key';

/** The migration makes the install key; a store without one was not migrated. */
export function missingInstallKey(): never {
  throw new Error('the store has no install key: run `aftercare migrate` (migration 0002-privacy)');
}

/** A touch point or plan entry without the free text of its reason (a bounce quotes the address). */
export function withoutDetail<T extends { reason: Reason | null }>(entry: T): T {
  if (entry.reason === null || entry.reason.detail === null) return entry;
  return { ...entry, reason: { code: entry.reason.code, detail: null } };
}
