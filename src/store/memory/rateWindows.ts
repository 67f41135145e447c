// Rate windows in memory, with the SQL stores' rules: a window that has run out restarts at the
// hit; each hit reads back its own count (one process, so a map is already atomic).
import type { Millis } from '../../core/domain.js';
import type { RateWindow, RateWindowStore } from '../ports/rateWindows.js';
import { settle } from './settle.js';

export class MemoryRateWindows implements RateWindowStore {
  private readonly windows = new Map<string, RateWindow>();

  hit(kind: string, key: string, at: Millis, windowMs: Millis): Promise<RateWindow> {
    return settle(() => {
      const id = JSON.stringify([kind, key]);
      const known = this.windows.get(id);
      const window =
        known === undefined || known.startedAt <= at - windowMs
          ? { count: 1, startedAt: at }
          : { count: known.count + 1, startedAt: known.startedAt };
      this.windows.set(id, window);
      return { ...window };
    });
  }

  clear(kind: string, key: string): Promise<void> {
    return settle(() => {
      this.windows.delete(JSON.stringify([kind, key]));
    });
  }

  purge(before: Millis): Promise<number> {
    return settle(() => {
      let gone = 0;
      for (const [id, window] of this.windows) {
        if (window.startedAt < before) {
          this.windows.delete(id);
          gone += 1;
        }
      }
      return gone;
    });
  }

  clearAll(): void {
    this.windows.clear();
  }
}
