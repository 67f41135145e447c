// 0020-measure-trigger-plans: PostgreSQL's measuring triggers (0008-measuring) find the orders a
// batch touches by an index probe per key, whatever the statistics say, and compare an update's
// rows by a set operation (schema/measuring.ts explains both). The functions are replaced in
// place; the triggers that call them stay. SQLite's row triggers were already index lookups.
import { sql, type Kysely, type Migration } from 'kysely';
import { postgresTriggerFunctions } from './measuring.js';
import type { SqlDialectName } from './types.js';

export function measureTriggerPlansSchema(dialect: SqlDialectName, schema: string | null = null): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      for (const statement of postgresTriggerFunctions(schema)) await sql.raw(statement).execute(db);
    },
  };
}
