// Team audits and action items, for both dialects.
import type { Millis } from '../../core/domain.js';
import type { ActionItem, ActionStatus, AuditEntry, GapsStore, NewActionItem } from '../ports/gaps.js';
import type { SqlHandle } from './db.js';
import type { ActionItemsTable, AuditsTable } from './tables.js';

type ActionRow = Omit<ActionItemsTable, 'id'> & { id: number | string };

function actionFromRow(row: ActionRow): ActionItem {
  return {
    // PostgreSQL bigint arrives as a string.
    id: Number(row.id),
    interaction: row.interaction,
    title: row.title,
    owner: row.owner,
    due: row.due,
    status: row.status as ActionStatus,
    createdAt: Number(row.created_at),
    doneAt: row.done_at === null ? null : Number(row.done_at),
    playbookVersion: row.playbook_version,
  };
}

function auditFromRow(row: AuditsTable): AuditEntry {
  return {
    team: row.team,
    interaction: row.interaction,
    importance: row.importance,
    performance: row.performance,
    note: row.note,
    importedAt: Number(row.imported_at),
  };
}

export class SqlGaps implements GapsStore {
  constructor(private readonly sql: SqlHandle) {}

  async replaceAudit(team: string, entries: readonly Omit<AuditEntry, 'team'>[]): Promise<void> {
    await this.sql.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('audits').where('team', '=', team).execute();
      if (entries.length === 0) return;
      await trx
        .insertInto('audits')
        .values(
          entries.map((e) => ({
            team,
            interaction: e.interaction,
            importance: e.importance,
            performance: e.performance,
            note: e.note,
            imported_at: e.importedAt,
          })),
        )
        .execute();
    });
  }

  async listAudits(team?: string): Promise<AuditEntry[]> {
    let query = this.sql.db.selectFrom('audits').selectAll().orderBy('team').orderBy('interaction');
    if (team !== undefined) query = query.where('team', '=', team);
    return (await query.execute()).map(auditFromRow);
  }

  async addActionItem(item: NewActionItem): Promise<ActionItem> {
    const row = await this.sql.db
      .insertInto('action_items')
      .values({
        interaction: item.interaction,
        title: item.title,
        owner: item.owner,
        due: item.due,
        status: 'open',
        created_at: item.createdAt,
        done_at: null,
        playbook_version: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return actionFromRow(row);
  }

  async getActionItem(id: number): Promise<ActionItem | null> {
    const row = await this.sql.db
      .selectFrom('action_items')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? actionFromRow(row) : null;
  }

  async listActionItems(filter: { status?: ActionStatus; interaction?: string } = {}): Promise<ActionItem[]> {
    let query = this.sql.db.selectFrom('action_items').selectAll().orderBy('id');
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.interaction !== undefined) query = query.where('interaction', '=', filter.interaction);
    return (await query.execute()).map(actionFromRow);
  }

  async completeActionItem(
    id: number,
    at: Millis,
    playbookVersion: string | null,
  ): Promise<ActionItem | null> {
    const row = await this.sql.db
      .updateTable('action_items')
      .set((eb) => ({
        status: 'done',
        done_at: eb.fn.coalesce('done_at', eb.val(at)),
        playbook_version: playbookVersion === null ? eb.ref('playbook_version') : eb.val(playbookVersion),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? actionFromRow(row) : null;
  }
}
