// The schedule capability: a person moves or cancels a touch point that has not gone out yet
// (API, CLI, dashboard, through engine/commands). Only a scheduled touch point changes.
import type { Millis, TouchPoint } from '../../core/domain.js';
import type { Reason } from '../../core/reasons.js';

export interface ScheduleStore {
  /** The touch point due at `dueAt`, or null when there is none or it is not scheduled. */
  move(id: string, dueAt: Millis): Promise<TouchPoint | null>;
  /** The touch point cancelled with `reason`, or null when there is none or it is not scheduled. */
  cancel(id: string, reason: Reason, at: Millis): Promise<TouchPoint | null>;
}
