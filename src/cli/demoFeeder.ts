// Feeds demo events into intake when the virtual clock reaches them, so orders, shipments,
// deliveries and returns arrive over time as they would from a live shop. With `worlds`, an
// event that happens only in one group's world (integrations/demo/worlds.ts) is passed on once
// intake has told which group the customer is in, and only if it is theirs.
import type { DomainEvent, Millis } from '../core/domain.js';
import type { Clock } from '../engine/clock.js';
import type { DemoGroup } from '../integrations/demo/effect.js';
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
  worlds?: DemoWorlds;
}

export interface DemoWorlds {
  /** The group an event happens for, and the order whose customer decides; null: everyone. */
  conditionOf(event: DomainEvent): { group: DemoGroup | 'never'; customerOf: string } | null;
  /** The customer's group, drawn as intake draws it (core/holdout.ts). */
  groupOf(customerId: string): DemoGroup;
}

/** Longest real sleep, so stop() is prompt and a clock jump is noticed. */
const MAX_SLEEP_MS = 250;

export class DemoFeeder {
  private next = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  /** Each order's customer, as intake reported it. */
  private readonly customers = new Map<string, string>();
  /** Events not passed on: they belong to the other group's world. */
  passedOver = 0;

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

  /** Ingests every event that is due now (of the customer's world); returns how many came due. */
  async feedDue(now: Millis): Promise<number> {
    const { events, ingest } = this.options;
    let end = this.next;
    while (end < events.length && events[end]!.at <= now) end++;
    if (end === this.next) return 0;
    const fed: DomainEvent[] = [];
    const results: IntakeResult[] = [];
    let batch: DomainEvent[] = [];
    let passedOver = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const done = await ingest(batch);
      batch.forEach((event, i) => {
        const customerId = done[i]?.customerId;
        if (event.orderId && customerId) this.customers.set(event.orderId, customerId);
      });
      fed.push(...batch);
      results.push(...done);
      batch = [];
    };
    for (const event of events.slice(this.next, end)) {
      let keep = this.keeps(event);
      if (keep === null) {
        // Its customer may be in what is not ingested yet: ingest that first, then ask again.
        await flush();
        keep = this.keeps(event) ?? false;
      }
      if (keep) batch.push(event);
      else passedOver++;
    }
    await flush();
    // Advanced only once stored: a failed batch is tried again on the next round (event ids
    // make what was already stored harmless).
    this.next = end;
    this.passedOver += passedOver;
    if (fed.length > 0) this.options.onFed(fed, results);
    return fed.length + passedOver;
  }

  /** Whether the event happens in its customer's world; null while their group is unknown. */
  private keeps(event: DomainEvent): boolean | null {
    const worlds = this.options.worlds;
    const condition = worlds?.conditionOf(event) ?? null;
    if (worlds === undefined || condition === null) return true;
    if (condition.group === 'never') return false;
    const customerId = this.customers.get(condition.customerOf);
    return customerId === undefined ? null : worlds.groupOf(customerId) === condition.group;
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
