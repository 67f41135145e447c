// Measuring in memory: the report's cells counted by scanning the tables, by the same rules the
// SQL stores' aggregate queries follow (records/cellTally.ts holds the shared ones). Plain and
// linear; the memory store serves `simulate` and tests, whose histories are small.
import type { MeasureCells, MeasureQuery } from '../../core/measuring/cells.js';
import type { TouchPoint } from '../../core/domain.js';
import type { FoldResult, MeasuringStore } from '../ports/measuring.js';
import {
  CellTally,
  DAY_MS,
  answerOf,
  addAttributed,
  attributeAnswers,
  cellKeyOf,
  inWindow,
  placedWindow,
  type AnswerEvent,
  type CustomerEnrollment,
} from '../records/cellTally.js';
import { settle } from './settle.js';
import type { MemoryTables } from './tables.js';

interface Enrolled extends CustomerEnrollment {
  customerId: string;
}

export class MemoryMeasuring implements MeasuringStore {
  constructor(private readonly tables: MemoryTables) {}

  cells(query: MeasureQuery): Promise<MeasureCells> {
    return settle(() => this.count(query));
  }

  /** Nothing kept between reads: every read counts. */
  fold(): Promise<FoldResult> {
    return Promise.resolve({ folded: 0, pending: 0 });
  }

  private count(query: MeasureQuery): MeasureCells {
    const window = placedWindow(query);
    const { records } = this.tables;
    const tally = new CellTally();

    const enrolled = new Map<string, Enrolled>();
    const byCustomer = new Map<string, Enrolled[]>();
    for (const { enrollment } of records.allEnrollments()) {
      const order = records.orders.get(enrollment.orderId)!.order;
      const e: Enrolled = {
        playbook: enrollment.playbook,
        version: enrollment.playbookVersion,
        segment: order.segment,
        placedAt: order.placedAt,
        holdout: enrollment.holdout,
        firstOrder: order.sequence === 1,
        orderId: order.id,
        customerId: order.customerId,
      };
      enrolled.set(enrollment.id, e);
      const list = byCustomer.get(e.customerId);
      if (list === undefined) byCustomer.set(e.customerId, [e]);
      else list.push(e);
    }
    const counted = (e: Enrolled | undefined): e is Enrolled =>
      e !== undefined && inWindow(window, e.playbook, e.placedAt);

    // Answers and unsubscribes traced to a stored touch point row, once per customer and row.
    const answered = new Set<string>();
    const unsubscribed = new Set<string>();
    const answers: AnswerEvent[] = [];
    for (const event of records.events.values()) {
      const touchPointId = typeof event.data.touchPointId === 'string' ? event.data.touchPointId : null;
      if (event.type === 'survey.answered') {
        const answer = answerOf(event.data);
        if (answer === null) continue;
        answers.push({ id: event.id, customerId: event.customerId, at: event.at, touchPointId, ...answer });
        if (touchPointId !== null) answered.add(`${event.customerId}\u0000${touchPointId}`);
      } else if (event.type === 'customer.unsubscribed' && touchPointId !== null) {
        unsubscribed.add(`${event.customerId}\u0000${touchPointId}`);
      }
    }

    const firstContact = new Map<string, number>();
    for (const t of records.allRows()) {
      const e = enrolled.get(t.enrollmentId);
      if (!counted(e)) continue;
      const traced = `${t.customerId}\u0000${t.id}`;
      tally.addStep(cellKeyOf(e), t.stepKey, t.channel, t.status, t.reason?.code ?? null, {
        count: 1,
        answers: answered.has(traced) ? 1 : 0,
        unsubscribes: unsubscribed.has(traced) ? 1 : 0,
      });
      const at = this.contactAt(t);
      if (at !== null) {
        const before = firstContact.get(t.enrollmentId);
        if (before === undefined || at < before) firstContact.set(t.enrollmentId, at);
      }
    }
    for (const { enrollment, plan } of records.allEnrollments()) {
      const e = enrolled.get(enrollment.id)!;
      if (!counted(e)) continue;
      const key = cellKeyOf(e);
      for (const entry of plan) {
        // A queued entry is a row now, counted above.
        if (entry.status === 'queued') continue;
        tally.addStep(key, entry.step, entry.channel, entry.status, entry.reason?.code ?? null, {
          count: 1,
          answers: 0,
          unsubscribes: 0,
        });
      }
    }

    addAttributed(
      tally,
      attributeAnswers(answers, (customerId) => byCustomer.get(customerId) ?? []),
      (key) => inWindow(window, key.playbook, key.placedAt),
    );

    const concernsOf = new Map<
      string,
      { opened: number; resolved: number; resolveMs: number; breaches: number }
    >();
    for (const c of this.tables.concerns.values()) {
      if (c.orderId === null) continue;
      const sum = concernsOf.get(c.orderId) ?? { opened: 0, resolved: 0, resolveMs: 0, breaches: 0 };
      sum.opened += 1;
      if (c.resolvedAt !== null) {
        sum.resolved += 1;
        sum.resolveMs += c.resolvedAt - c.openedAt;
      }
      if (c.level > 0) sum.breaches += 1;
      concernsOf.set(c.orderId, sum);
    }

    const asOf = query.asOf;
    for (const [id, e] of enrolled) {
      if (!counted(e)) continue;
      const order = records.orders.get(e.orderId)!.order;
      let next: number | null = null;
      for (const otherId of records.orderIdsOf(e.customerId)) {
        const placed = records.orders.get(otherId)!.order.placedAt;
        if (placed > e.placedAt && (next === null || placed < next)) next = placed;
      }
      const eligible90 = e.placedAt <= asOf - 90 * DAY_MS;
      const eligible180 = e.placedAt <= asOf - 180 * DAY_MS;
      const first = firstContact.get(id);
      const concerns = concernsOf.get(e.orderId);
      tally.addOutcomes(cellKeyOf(e), {
        enrollments: 1,
        returned: order.moments.returned == null ? 0 : 1,
        cancelled: order.moments.cancelled == null ? 0 : 1,
        repeat90Eligible: eligible90 ? 1 : 0,
        repeat90: eligible90 && next !== null && next <= e.placedAt + 90 * DAY_MS ? 1 : 0,
        repeat180Eligible: eligible180 ? 1 : 0,
        repeat180: eligible180 && next !== null && next <= e.placedAt + 180 * DAY_MS ? 1 : 0,
        firstContacts: first === undefined ? 0 : 1,
        firstContactMs: first === undefined ? 0 : first - e.placedAt,
        concernsOpened: concerns?.opened ?? 0,
        concernsResolved: concerns?.resolved ?? 0,
        resolveMs: concerns?.resolveMs ?? 0,
        slaBreaches: concerns?.breaches ?? 0,
      });
    }
    return tally.cells();
  }

  /**
   * When a touch point reached the customer: a sent message when it was sent; a sent task (a call,
   * a meeting...) only once a person completed it, when they did.
   */
  private contactAt(t: TouchPoint): number | null {
    if (t.status !== 'sent') return null;
    if (!t.channel.startsWith('task:')) return t.outcomeAt;
    const taskId = this.tables.taskOfTouchPoint.get(t.id);
    const task = taskId === undefined ? undefined : this.tables.tasks.get(taskId);
    return task?.status === 'done' ? task.completedAt : null;
  }
}
