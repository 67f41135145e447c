// 0018-outbox: the dashboard's outbox lists sent messages newest first, by (sent time, id), a
// keyset page at a time (reads.listSent). The partial index on sent rows the frequency caps use
// leads with the customer, so the list needs its own: only sent rows, in the list's order.
import { sql, type Kysely, type Migration } from 'kysely';

export function outboxSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('touch_points_sent_at')
        .on('touch_points')
        .columns(['outcome_at', 'id'])
        .where(sql.ref('status'), '=', sql.lit('sent'))
        .execute();
    },
  };
}
