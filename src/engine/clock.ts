// The Clock port. Production uses the system clock; tests, the demo and `simulate` use a
// virtual clock so the very same dispatcher runs on made-up time.
import type { Millis } from '../core/domain.js';

export interface Clock {
  now(): Millis;
}

export class SystemClock implements Clock {
  now(): Millis {
    return Date.now();
  }
}

/**
 * The system clock as a function: for the few things timed in real time whatever clock the
 * engine runs on (leases of the webhook inbox, signatures of outgoing webhooks).
 */
export const systemNow = (): Millis => Date.now();

/** Time that only moves when told to. */
export class VirtualClock implements Clock {
  private current: Millis;
  constructor(start: Millis) {
    this.current = start;
  }
  now(): Millis {
    return this.current;
  }
  set(at: Millis): void {
    if (at < this.current) throw new RangeError('a virtual clock never goes back');
    this.current = at;
  }
  advance(ms: Millis): void {
    this.set(this.current + ms);
  }
}

/** Virtual time that runs `speed` times faster than real time from `start` (used by the demo). */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  constructor(
    private readonly start: Millis,
    private readonly speed: number,
  ) {}
  now(): Millis {
    return this.start + Math.floor((Date.now() - this.realStart) * this.speed);
  }
}
