// 0011-stories: which customer story each customer has been told (`story_tellings`), one row per
// customer and story, so none is told twice. Written by the dispatch queue in the write that
// records the send, keyed by customer like every hot table.
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function storiesSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('story_tellings')
        .addColumn('customer_id', t.key, (c) => c.notNull())
        .addColumn('story_id', t.key, (c) => c.notNull())
        .addColumn('touch_point_id', t.key, (c) => c.notNull())
        .addColumn('told_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('story_tellings_pk', ['customer_id', 'story_id'])
        .execute();
    },
  };
}
