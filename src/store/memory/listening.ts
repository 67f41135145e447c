// The listening capability in memory, with the same rules and orders as the SQL stores: unheard
// events by received time then id, the listener's changes written at once (nothing can interleave
// with a synchronous call), care fields only on the customer.
import type { Millis, StoredEvent, Task } from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';
import type { ConcernQuery, ListeningChanges, ListeningState, ListeningStore } from '../ports/listening.js';
import { compareText } from '../records/storable.js';
import { ownedConcern, ownedCustomer, ownedEvent, ownedTask, ownedTouchPoint } from './owned.js';
import { eventsOf, ordersOf } from './reads.js';
import { settle } from './settle.js';
import type { MemoryTables } from './tables.js';
import { touchPointsOfOrders } from './touchPoints.js';

const newestFirst = (a: Concern, b: Concern): number => b.openedAt - a.openedAt || compareText(b.id, a.id);

export class MemoryListening implements ListeningStore {
  constructor(private readonly tables: MemoryTables) {}

  unheard(limit: number): Promise<StoredEvent[]> {
    return settle(() => {
      if (limit <= 0) return [];
      const { records } = this.tables;
      const events = [...records.unheard].map((id) => records.events.get(id)!);
      events.sort((a, b) => a.receivedAt - b.receivedAt || compareText(a.id, b.id));
      return events.slice(0, limit);
    });
  }

  stateOf(customerId: string): Promise<ListeningState | null> {
    return settle(() => {
      const { records } = this.tables;
      const customer = records.customers.get(customerId);
      if (customer === undefined) return null;
      const orders = ordersOf(records, customerId);
      const concerns = this.tables
        .concernsOfCustomer(customerId)
        .sort((a, b) => a.openedAt - b.openedAt || compareText(a.id, b.id));
      const openTasks = this.tables
        .tasksOfCustomer(customerId)
        .filter((t) => t.status === 'open' || t.status === 'claimed')
        .sort((a, b) => a.dueAt - b.dueAt || compareText(a.id, b.id));
      return {
        customer,
        events: eventsOf(records, customerId),
        orders,
        touchPoints: touchPointsOfOrders(
          records,
          orders.map((o) => o.id),
        ).filter((t) => t.customerId === customerId),
        concerns,
        openTasks,
      };
    });
  }

  apply(changes: ListeningChanges, heard: { ids: readonly string[]; at: Millis }): Promise<boolean> {
    return settle(() => {
      const { records, tasks, taskOfTouchPoint } = this.tables;
      if (!heard.ids.every((id) => records.unheard.has(id))) return false;
      for (const id of heard.ids) records.markHeard(id);
      const c = changes.customer;
      const stored = c === null ? undefined : records.customers.get(c.id);
      if (c !== null && stored !== undefined) {
        records.putCustomer(
          ownedCustomer({
            ...stored,
            temperature: c.temperature,
            temperatureReasons: c.temperatureReasons,
            openConcerns: c.openConcerns,
            awaitingPersonSince: c.awaitingPersonSince,
            lastNps: c.lastNps,
            engagedAt: c.engagedAt,
          }),
        );
      }
      for (const concern of changes.concerns) this.tables.putConcern(ownedConcern(concern));
      for (const task of changes.newTasks) {
        if (!taskOfTouchPoint.has(task.touchPointId)) this.tables.insertTask(ownedTask(task));
      }
      for (const close of changes.closeTasks) {
        const task: Task | undefined = tasks.get(close.id);
        if (task === undefined || (task.status !== 'open' && task.status !== 'claimed')) continue;
        tasks.set(
          task.id,
          ownedTask({ ...task, status: close.status, outcome: close.outcome, completedAt: close.at }),
        );
      }
      for (const event of changes.events) {
        if (!records.events.has(event.id)) records.putEvent(ownedEvent(event), true);
      }
      for (const tp of changes.newTouchPoints) {
        const plan = records.planSlot(tp.enrollmentId);
        // A follow-up rides on an enrollment; one gone since (erased) takes nothing.
        if (plan !== undefined && records.rowSlot(tp.id) === undefined)
          records.addRow(plan, ownedTouchPoint(tp));
      }
      return true;
    });
  }

  getConcern(id: string): Promise<Concern | null> {
    return settle(() => this.tables.concerns.get(id) ?? null);
  }

  listConcerns(query: ConcernQuery): Promise<Concern[]> {
    return settle(() => {
      const found = [...this.tables.concerns.values()].filter(
        (c) =>
          (query.status === undefined ||
            (query.status === 'unresolved' ? c.status !== 'resolved' : c.status === query.status)) &&
          (query.customerId === undefined || c.customerId === query.customerId) &&
          (query.owner === undefined || c.owner === query.owner),
      );
      found.sort(newestFirst);
      return query.limit === undefined ? found : found.slice(0, Math.max(0, query.limit));
    });
  }

  dueEscalations(now: Millis, limit: number): Promise<Concern[]> {
    return settle(() => {
      if (limit <= 0) return [];
      const due = [...this.tables.concerns.values()].filter(
        (c) => c.status !== 'resolved' && c.nextEscalationAt !== null && c.nextEscalationAt <= now,
      );
      due.sort((a, b) => a.nextEscalationAt! - b.nextEscalationAt! || compareText(a.id, b.id));
      return due.slice(0, limit);
    });
  }

  escalate(concern: Concern, expected: { level: number }): Promise<boolean> {
    return settle(() => {
      const current = this.tables.concerns.get(concern.id);
      if (current === undefined || current.level !== expected.level || current.status === 'resolved')
        return false;
      this.tables.putConcern(
        ownedConcern({
          ...current,
          level: concern.level,
          owner: concern.owner,
          severity: concern.severity,
          escalations: concern.escalations,
          nextEscalationAt: concern.nextEscalationAt,
        }),
      );
      return true;
    });
  }
}
