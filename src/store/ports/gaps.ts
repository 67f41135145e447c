// The gap analysis capability: team audits of the interaction catalogue and action items that
// close the gaps. The answers it scores come from the measuring cells (ports/measuring.ts). Every
// store answers alike (test/store-contract/gapsContract.ts).
import type { Millis } from '../../core/domain.js';

/** One team's view of one interaction, from `aftercare audit import`. Scores are 1-5. */
export interface AuditEntry {
  team: string;
  interaction: string;
  importance: number;
  performance: number;
  note: string | null;
  importedAt: Millis;
}

export const ACTION_STATUSES = ['open', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Something to do about a gap: who does it by when, and which playbook version addressed it. */
export interface ActionItem {
  /** Given by the store, 1, 2, 3... */
  id: number;
  interaction: string;
  title: string;
  owner: string;
  /** The day it is due, `YYYY-MM-DD`. */
  due: string;
  status: ActionStatus;
  createdAt: Millis;
  doneAt: Millis | null;
  /** `reassure@4`: the playbook version whose change closed it; null when none is named. */
  playbookVersion: string | null;
}

export interface NewActionItem {
  interaction: string;
  title: string;
  owner: string;
  due: string;
  createdAt: Millis;
}

export interface GapsStore {
  /** The team's audit becomes exactly `entries` (a re-import replaces it), in one transaction. */
  replaceAudit(team: string, entries: readonly Omit<AuditEntry, 'team'>[]): Promise<void>;
  /** Every team's entries (or one team's), by team then interaction. */
  listAudits(team?: string): Promise<AuditEntry[]>;
  addActionItem(item: NewActionItem): Promise<ActionItem>;
  getActionItem(id: number): Promise<ActionItem | null>;
  /** Oldest first (by id), optionally of one status or one interaction. */
  listActionItems(filter?: { status?: ActionStatus; interaction?: string }): Promise<ActionItem[]>;
  /**
   * Marks it done at `at` with the version that addressed it; null when there is no such item.
   * Done again keeps the first time and replaces the version only when one is given.
   */
  completeActionItem(id: number, at: Millis, playbookVersion: string | null): Promise<ActionItem | null>;
}
