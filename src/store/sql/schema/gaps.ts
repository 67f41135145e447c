// 0009-gaps: what gap analysis keeps. `audits`: one row per team and interaction (a re-import
// replaces the team's rows); `action_items`: what is to be done about a gap, numbered 1, 2, 3...
// so people can say "action 12". Neither is keyed by customer: they are about the business.
// And an index on survey answers, which derived importance reads.
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function gapsSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('audits')
        .addColumn('team', t.key, (c) => c.notNull())
        .addColumn('interaction', t.key, (c) => c.notNull())
        .addColumn('importance', t.int, (c) => c.notNull())
        .addColumn('performance', t.int, (c) => c.notNull())
        .addColumn('note', t.text)
        .addColumn('imported_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('audits_pk', ['team', 'interaction'])
        .execute();
      await db.schema
        .createTable('action_items')
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres'
            ? c.primaryKey().generatedAlwaysAsIdentity()
            : c.primaryKey().autoIncrement(),
        )
        .addColumn('interaction', t.key, (c) => c.notNull())
        .addColumn('title', t.text, (c) => c.notNull())
        .addColumn('owner', t.text, (c) => c.notNull())
        .addColumn('due', t.text, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('done_at', t.millis)
        .addColumn('playbook_version', t.text)
        .execute();
      // Gap analysis reads survey answers by customer (a sample of whole customers at scale); a
      // partial index keeps that from scanning every event, and costs intake nothing for the
      // other kinds.
      await db.schema
        .createIndex('events_survey_answers')
        .on('events')
        // SQLite: covering, so a read never visits the table (3.5x faster on a million orders);
        // PostgreSQL: keys only, since a B-tree entry must stay under ~2.7 KB and data holds a
        // comment.
        .columns(
          dialect === 'sqlite'
            ? ['customer_id', 'order_id', 'at', 'id', 'data']
            : ['customer_id', 'order_id'],
        )
        .where(sql.ref('type'), '=', 'survey.answered')
        .execute();
      await db.schema
        .createIndex('action_items_status')
        .on('action_items')
        .columns(['status', 'id'])
        .execute();
    },
  };
}
