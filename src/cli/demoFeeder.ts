// Feeds demo events into intake when the virtual clock reaches them, so orders, shipments,
// deliveries and returns arrive over time as they would from a live shop.
import type { DomainEvent, Millis } from '../core/domain.js';
import type { Clock } from '../engine/clock.js';
import type { IntakeResult } from '../store/ports/intake.js';

export interface DemoFeederOptions {
  /** Sorted by time. */
  events: readonly DomainEvent[];
  /** Takes events in (the ingest command), resolving to what each came to. */
  ingest: (events: DomainEvent[]) => Promise<IntakeResult[]>;
  clock: Clock;
  /** Virtual ms per real ms: turns "next event in 2 virtual hours" into a real sleep. */
  speed: number;
  onFed: (events: DomainEvent[], results: IntakeResult[]) => void;
  onDone: () => void;
  onError: (error: unknown) => void;
}

/** Longest real sleep, so stop() is prompt and a clock jump is noticed. */
const MAX_SLEEP_MS = 250;

export class DemoFeeder {
  private next = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: DemoFeederOptions) {}

  get remaining(): number {
    return this.options.events.length - this.next;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  /** Ingests every event that is due now; returns how many. */
  async feedDue(now: Millis): Promise<number> {
    const { events, ingest } = this.options;
    let end = this.next;
    while (end < events.length && events[end]!.at <= now) end++;
    if (end === this.next) return 0;
    const batch = events.slice(this.next, end);
    const results = await ingest(batch);
    // Advanced only once stored: a failed batch is tried again on the next round.
    this.next = end;
    this.options.onFed(batch, results);
    return batch.length;
  }

  private async run(): Promise<void> {
    const { events, clock, speed } = this.options;
    while (this.running && this.next < events.length) {
      try {
        await this.feedDue(clock.now());
      } catch (error) {
        this.options.onError(error);
      }
      const upcoming = events[this.next];
      if (!upcoming) break;
      const realWait = Math.ceil((upcoming.at - clock.now()) / speed);
      await this.sleep(Math.max(1, Math.min(MAX_SLEEP_MS, realWait)));
    }
    if (this.running) this.options.onDone();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
