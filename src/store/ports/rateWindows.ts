// Fixed-window counters shared by every process on one database: the dashboard's sign-in limits
// count attempts per client address and per account here, so two `serve` processes on one
// PostgreSQL count together. Each window is one row, kind + key, counted with one atomic write.
import type { Millis } from '../../core/domain.js';

export interface RateWindow {
  /** Counted so far in this window, the hit just made included. */
  count: number;
  /** When the window started. */
  startedAt: Millis;
}

export interface RateWindowStore {
  /**
   * Adds one to the window of `kind` + `key` and answers it as it is after the hit. A window that
   * started `windowMs` or more before `at`, or none, is replaced by a new one starting at `at`.
   * Atomic: hits at the same moment, from any process, each see a count of their own.
   */
  hit(kind: string, key: string, at: Millis, windowMs: Millis): Promise<RateWindow>;
  /** Forgets the window of `kind` + `key` (a sign-in that succeeded forgets its account's). */
  clear(kind: string, key: string): Promise<void>;
  /** Deletes the windows that started before `before`; how many. */
  purge(before: Millis): Promise<number>;
}
