// A DealChangeSink that keeps what it was given: each change once (by id), and the latest state
// of each deal by occurredAt, as the sink contract asks of the real one. Tests assert on it; the
// composition root replaces it with the deals command.
import type { CrmDealChange, CrmSource, DealChangeSink } from './dealChange.js';

export class RecordingDealChangeSink implements DealChangeSink {
  /** Distinct changes, in the order they were first applied. */
  readonly changes: CrmDealChange[] = [];
  /** Changes handed over, repeats included. */
  handedOver = 0;
  private readonly seen = new Set<string>();
  private readonly latestByDeal = new Map<string, CrmDealChange>();

  apply(changes: CrmDealChange[]): Promise<void> {
    for (const change of changes) {
      this.handedOver += 1;
      if (this.seen.has(change.id)) continue;
      this.seen.add(change.id);
      this.changes.push(change);
      const key = dealKey(change.source, change.externalId);
      const current = this.latestByDeal.get(key);
      if (current === undefined || Date.parse(current.occurredAt) <= Date.parse(change.occurredAt))
        this.latestByDeal.set(key, change);
    }
    return Promise.resolve();
  }

  /** The deal's latest change by occurredAt, whatever order the changes arrived in. */
  latest(source: CrmSource, externalId: string): CrmDealChange | null {
    return this.latestByDeal.get(dealKey(source, externalId)) ?? null;
  }
}

const dealKey = (source: CrmSource, externalId: string): string => `${source}\u0000${externalId}`;
