// Team audits and action items over maps; the same answers as the SQL stores
// (test/store-contract/gapsContract.ts).
import type { Millis } from '../../core/domain.js';
import type { ActionItem, ActionStatus, AuditEntry, GapsStore, NewActionItem } from '../ports/gaps.js';
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
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
