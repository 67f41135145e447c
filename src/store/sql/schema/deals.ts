// 0015-deals: deals before their order (core/deals/). One row per deal; the contact, value,
// products, meetings and promises are JSON text read back whole. Listed by owner and by expected
// close; closing reads orders by placed time (an index the orders table lacked).
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function dealsSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('deals')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('source', t.text)
        .addColumn('external_id', t.text)
        .addColumn('company', t.text, (c) => c.notNull())
        .addColumn('domain', t.text)
        .addColumn('contact', t.text, (c) => c.notNull())
        .addColumn('owner', t.text)
        .addColumn('expected_close_at', t.millis, (c) => c.notNull())
        .addColumn('value', t.text, (c) => c.notNull())
        .addColumn('segment', t.text, (c) => c.notNull())
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('lead_days', t.int, (c) => c.notNull())
        .addColumn('products', t.text, (c) => c.notNull())
        .addColumn('stage', t.text, (c) => c.notNull())
        .addColumn('meetings', t.text, (c) => c.notNull())
        .addColumn('promised', t.text, (c) => c.notNull())
        .addColumn('shared_at', t.millis)
        .addColumn('order_id', t.key)
        .addColumn('customer_id', t.key)
        .addColumn('closed_at', t.millis)
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('deals_owner')
        .on('deals')
        .columns(['owner', 'expected_close_at'])
        .execute();
      await db.schema.createIndex('deals_close').on('deals').columns(['expected_close_at', 'id']).execute();
      await db.schema.createIndex('orders_placed').on('orders').columns(['placed_at', 'id']).execute();
    },
  };
}
