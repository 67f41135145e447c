// What an erased customer leaves behind, the same on every store adapter: ids and times only,
// so replayed provider events are still recognised, and nothing that names or describes a person.
import type { Millis } from '../core/domain.js';
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
