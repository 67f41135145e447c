// The listener: takes the events intake stored unheard, in the order they arrived, and hears them
// customer by customer — the customer's state loaded once, each event folded through the pure
// reducer (core/listening/hear.ts), everything written in one transaction with the events marked
// heard. Durable: a crash before the write leaves the events unheard, and they are heard again
// later with the same derived ids, so nothing is opened twice.
import type { Millis, StoredEvent } from '../../core/domain.js';
import { noChanges, type ListeningChanges } from '../../core/listening/changes.js';
import { anchorsOf, planFollowUps, type FollowUpContext } from '../../core/listening/followUps.js';
import { afterHearing, hear, mergeChanges, type HearingContext } from '../../core/listening/hear.js';
import { DEFAULT_ESCALATION_RULES, type EscalationRules } from '../../core/listening/rules.js';
import type { Playbook } from '../../core/playbook/types.js';
import type { PolicyConfig } from '../../core/policy/types.js';
import type { ListeningStore } from '../../store/ports/listening.js';
import type { Clock } from '../clock.js';
import type { PeriodicJob } from '../periodic.js';

/** Events taken per round when the caller names no limit. */
export const DEFAULT_HEARING_BATCH = 500;
/** Rounds `hearThrough` runs at most before giving up on seeing its event (a backlog bigger than this waits for the job). */
const MAX_ROUNDS = 20;

export interface ListenerOptions {
  store: ListeningStore;
  clock: Clock;
  businessHours: PolicyConfig['businessHours'];
  defaultTimezone: string;
  /** The escalation ladder; default: every concern stays with 'rep', no timers. */
  rules?: EscalationRules;
  /**
   * The configured playbooks (current versions): their follow-up steps, timed from an answer, a
   * reply or a concern, are planned as the listener hears those. None: no follow-ups.
   */
  playbooks?: readonly Playbook[];
  /** Told after follow-up touch points were stored, with the earliest due time (wake the dispatcher). */
  onPlanned?: (earliestDueAt: Millis) => void;
  /** A customer whose events could not be heard (their events stay unheard and are tried again). */
  onError?: (customerId: string, error: unknown) => void;
}

export interface HearingReport {
  /** Events marked heard this round. */
  heard: string[];
  customers: number;
  concernsChanged: number;
  tasksCreated: number;
  /** Follow-up touch points planned (stored as scheduled or, already too late, as skipped). */
  touchPointsPlanned: number;
  /** Customers another listener got to first (nothing written for them here). */
  conflicts: number;
  /** Customers whose hearing failed: their events stay unheard and are tried again next round. */
  failures: { customerId: string; error: unknown }[];
}

export class Listener {
  private readonly rules: EscalationRules;
  /** One round at a time in this process; a call made during one runs after it. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ListenerOptions) {
    this.rules = options.rules ?? DEFAULT_ESCALATION_RULES;
  }

  /** Hear up to `limit` of the oldest unheard events. */
  hearPending(options: { limit?: number } = {}): Promise<HearingReport> {
    const run = this.tail.then(() => this.round(options.limit ?? DEFAULT_HEARING_BATCH));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Hear until `eventId` has been heard (or nothing is left): what a command waits for before answering. */
  async hearThrough(eventId: string): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const report = await this.hearPending();
      if (report.heard.includes(eventId) || report.heard.length === 0) return;
    }
  }

  private async round(limit: number): Promise<HearingReport> {
    const { store, clock } = this.options;
    const events = await store.unheard(limit);
    const report: HearingReport = {
      heard: [],
      customers: 0,
      concernsChanged: 0,
      tasksCreated: 0,
      touchPointsPlanned: 0,
      conflicts: 0,
      failures: [],
    };
    const byCustomer = new Map<string, StoredEvent[]>();
    for (const event of events) {
      const list = byCustomer.get(event.customerId);
      if (list === undefined) byCustomer.set(event.customerId, [event]);
      else list.push(event);
    }
    for (const [customerId, heard] of byCustomer) {
      try {
        const changes = await this.changesFor(customerId, heard, clock.now());
        const ids = heard.map((e) => e.id);
        if (await store.apply(changes, { ids, at: clock.now() })) {
          report.heard.push(...ids);
          report.customers += 1;
          report.concernsChanged += changes.concerns.length;
          report.tasksCreated += changes.newTasks.length;
          report.touchPointsPlanned += changes.newTouchPoints.length;
          const due = changes.newTouchPoints.filter((t) => t.status === 'scheduled').map((t) => t.dueAt);
          if (due.length > 0) this.options.onPlanned?.(Math.min(...due));
        } else {
          report.conflicts += 1;
        }
      } catch (error) {
        report.failures.push({ customerId, error });
        this.options.onError?.(customerId, error);
      }
    }
    return report;
  }

  private async changesFor(
    customerId: string,
    events: StoredEvent[],
    now: Millis,
  ): Promise<ListeningChanges> {
    let state = await this.options.store.stateOf(customerId);
    // A customer who is gone: their events are just marked heard.
    if (state === null) return noChanges();
    const ctx: HearingContext = {
      now,
      rules: this.rules,
      businessHours: this.options.businessHours,
      defaultTimezone: this.options.defaultTimezone,
    };
    const followUps: FollowUpContext = {
      now,
      defaultTimezone: this.options.defaultTimezone,
      playbooks: this.options.playbooks ?? [],
    };
    const all: ListeningChanges[] = [];
    for (const event of events) {
      const heard = hear(state, event, ctx);
      const after = afterHearing(state, event, heard);
      const planned = planFollowUps(after, anchorsOf(state, event, heard), followUps);
      const changes: ListeningChanges = { ...heard, newTouchPoints: [...heard.newTouchPoints, ...planned] };
      all.push(changes);
      state = planned.length === 0 ? after : afterHearing(state, event, changes);
    }
    return mergeChanges(all);
  }
}

/** The listener as a periodic job: it catches whatever no wake-up announced. */
export function listenerJob(listener: Listener, everyMs: Millis): PeriodicJob<HearingReport> {
  return { name: 'listener', everyMs, run: () => listener.hearPending() };
}

/**
 * Runs `work` soon after a wake-up; wake-ups while it runs are folded into one more run after it,
 * so a burst of intake costs at most two runs.
 */
export class Waker {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  wake(): void {
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.work();
        } catch (error) {
          this.onError(error);
        }
      } while (this.again);
      this.running = null;
    })();
  }

  /** Resolves once no run is in flight. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }
}
