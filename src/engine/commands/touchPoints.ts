// Touch points by hand: list them, look at one, move it, cancel it (with the person's note), or
// send it now (due now, and the dispatcher woken). Only a scheduled touch point changes; for any
// other the answer says what it is now. Policies still apply when a moved one comes due.
import type { Millis, TouchPoint } from '../../core/domain.js';
import { reason } from '../../core/reasons.js';
import { AftercareError } from '../../errors.js';
import type { ReadStore, TouchPointQuery } from '../../store/ports/reads.js';
import type { ScheduleStore } from '../../store/ports/schedule.js';
import type { Clock } from '../clock.js';

/** Touch points a list holds when the caller names no limit. */
export const DEFAULT_TOUCH_POINT_LIMIT = 100;

export type TouchPointChange =
  | { ok: true; touchPoint: TouchPoint }
  | { ok: false; why: 'not_found' }
  /** It has gone out, been skipped or cancelled, or is being sent: `current` says which. */
  | { ok: false; why: 'not_scheduled'; current: TouchPoint };

export interface TouchPointCommands {
  /** By due time; at most `limit` (default DEFAULT_TOUCH_POINT_LIMIT). */
  list(query: TouchPointQuery): Promise<TouchPoint[]>;
  get(id: string): Promise<TouchPoint | null>;
  /** Due at `dueAt` instead; wakes the dispatcher when that is already past. */
  move(id: string, dueAt: Millis): Promise<TouchPointChange>;
  /** Cancelled with reason `cancelled_by_hand`; the note (trimmed, if any) is its detail. */
  cancel(id: string, note: string | null): Promise<TouchPointChange>;
  /** Due now, and the dispatcher woken to take it. */
  sendNow(id: string): Promise<TouchPointChange>;
}

export interface TouchPointDeps {
  reads: Pick<ReadStore, 'getTouchPoint' | 'listTouchPoints'>;
  schedule: ScheduleStore;
  clock: Clock;
  /** Wakes the dispatcher: work may be due now. */
  wake: () => void;
}

export function touchPointCommands(deps: TouchPointDeps): TouchPointCommands {
  const { reads, schedule, clock, wake } = deps;

  /** The store changes only a scheduled touch point; when it changed none, tell why. */
  async function outcome(id: string, changed: TouchPoint | null): Promise<TouchPointChange> {
    if (changed) return { ok: true, touchPoint: changed };
    const current = await reads.getTouchPoint(id);
    return current ? { ok: false, why: 'not_scheduled', current } : { ok: false, why: 'not_found' };
  }

  return {
    list: (query) => reads.listTouchPoints({ ...query, limit: query.limit ?? DEFAULT_TOUCH_POINT_LIMIT }),
    get: (id) => reads.getTouchPoint(id),
    async move(id, dueAt) {
      if (!Number.isFinite(dueAt)) {
        throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'dueAt: is not a valid time', {
          field: 'dueAt',
        });
      }
      const result = await outcome(id, await schedule.move(id, dueAt));
      if (result.ok && result.touchPoint.dueAt <= clock.now()) wake();
      return result;
    },
    async cancel(id, note) {
      const detail = note?.trim() || null;
      return outcome(id, await schedule.cancel(id, reason('cancelled_by_hand', detail), clock.now()));
    },
    async sendNow(id) {
      const result = await outcome(id, await schedule.move(id, clock.now()));
      if (result.ok) wake();
      return result;
    },
  };
}
