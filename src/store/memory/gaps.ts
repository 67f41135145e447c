// Team audits and action items over maps, and survey answers read from the records intake keeps;
// the same answers as the SQL stores (test/store-contract/gapsContract.ts).
import type { Millis } from '../../core/domain.js';
import type {
  ActionItem,
  ActionStatus,
  AuditEntry,
  GapsStore,
  NewActionItem,
  StepAnswerQuery,
  StepAnswers,
} from '../ports/gaps.js';
import { limitedStepAnswers, type AnswerEvent } from '../records/stepAnswers.js';
import { duplicateKey, type MemoryTables } from './tables.js';

const frozen = <T extends object>(value: T): Readonly<T> => Object.freeze({ ...value });

export class MemoryGaps implements GapsStore {
  /** team -> interaction -> entry. */
  private readonly audits = new Map<string, Map<string, AuditEntry>>();
  private readonly actions = new Map<number, ActionItem>();
  private lastActionId = 0;

  constructor(private readonly tables: MemoryTables) {}

  /** close(): drop everything. */
  clear(): void {
    this.audits.clear();
    this.actions.clear();
    this.lastActionId = 0;
  }

  replaceAudit(team: string, entries: readonly Omit<AuditEntry, 'team'>[]): Promise<void> {
    const rows = new Map(entries.map((e) => [e.interaction, frozen({ team, ...e })]));
    // As the SQL primary key refuses it, and before anything changes.
    if (rows.size < entries.length) return Promise.reject(duplicateKey('audits', team));
    if (rows.size === 0) this.audits.delete(team);
    else this.audits.set(team, rows);
    return Promise.resolve();
  }

  listAudits(team?: string): Promise<AuditEntry[]> {
    const teams = [...this.audits.keys()].filter((t) => team === undefined || t === team).sort(byText);
    return Promise.resolve(
      teams.flatMap((t) =>
        [...this.audits.get(t)!.values()]
          .sort((a, b) => byText(a.interaction, b.interaction))
          .map((e) => ({ ...e })),
      ),
    );
  }

  addActionItem(item: NewActionItem): Promise<ActionItem> {
    const action: ActionItem = frozen({
      id: ++this.lastActionId,
      ...item,
      status: 'open',
      doneAt: null,
      playbookVersion: null,
    });
    this.actions.set(action.id, action);
    return Promise.resolve({ ...action });
  }

  getActionItem(id: number): Promise<ActionItem | null> {
    const action = this.actions.get(id);
    return Promise.resolve(action ? { ...action } : null);
  }

  listActionItems(filter: { status?: ActionStatus; interaction?: string } = {}): Promise<ActionItem[]> {
    return Promise.resolve(
      [...this.actions.values()]
        .filter((a) => filter.status === undefined || a.status === filter.status)
        .filter((a) => filter.interaction === undefined || a.interaction === filter.interaction)
        .sort((a, b) => a.id - b.id)
        .map((a) => ({ ...a })),
    );
  }

  completeActionItem(id: number, at: Millis, playbookVersion: string | null): Promise<ActionItem | null> {
    const current = this.actions.get(id);
    if (current === undefined) return Promise.resolve(null);
    const done: ActionItem = frozen({
      ...current,
      status: 'done',
      doneAt: current.doneAt ?? at,
      playbookVersion: playbookVersion ?? current.playbookVersion,
    });
    this.actions.set(id, done);
    return Promise.resolve({ ...done });
  }

  stepAnswers(query: StepAnswerQuery): Promise<StepAnswers> {
    if (query.steps.length === 0) return Promise.resolve({ answers: [], complete: true });
    const { records } = this.tables;
    const events: AnswerEvent[] = [];
    for (const event of records.events.values()) {
      if (event.type !== 'survey.answered') continue;
      if (query.since !== undefined || query.until !== undefined) {
        const placedAt =
          event.orderId === null ? undefined : records.orders.get(event.orderId)?.order.placedAt;
        if (placedAt === undefined) continue;
        if (query.since !== undefined && placedAt < query.since) continue;
        if (query.until !== undefined && placedAt >= query.until) continue;
      }
      events.push({ id: event.id, customerId: event.customerId, at: event.at, data: event.data });
    }
    if (query.limit !== undefined) {
      // As the SQL stores read them: by customer id (bytewise), at most limit + 1.
      events.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
      events.length = Math.min(events.length, query.limit + 1);
    }
    return Promise.resolve(limitedStepAnswers(events, query));
  }
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
