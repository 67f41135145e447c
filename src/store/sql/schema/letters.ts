// 0010-letters: when `aftercare letters` printed a letter task (`tasks.printed_at`, null = never),
// so printing a day twice does not print its letters twice. An index on (kind, due_at) finds a
// day's letters and gifts without reading every task.
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function lettersSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('tasks').addColumn('printed_at', t.millis).execute();
      await db.schema.createIndex('tasks_kind_due').on('tasks').columns(['kind', 'due_at']).execute();
    },
  };
}
