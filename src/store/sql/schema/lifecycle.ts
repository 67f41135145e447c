// What was sold and how it renews: the order's kind (goods ship; services and software start),
// its renewal period and the renewal cycle its `renewal` moment stands for. Orders stored before
// this migration are goods with an unknown period, in their first cycle.
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function lifecycleSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('orders')
        .addColumn('kind', t.text, (c) => c.notNull().defaultTo(sql.lit('goods')))
        .execute();
      await db.schema.alterTable('orders').addColumn('renewal_period', t.text).execute();
      await db.schema
        .alterTable('orders')
        .addColumn('renewal_cycle', t.int, (c) => c.notNull().defaultTo(1))
        .execute();
    },
  };
}
