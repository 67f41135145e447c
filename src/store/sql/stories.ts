// Which stories customers have been told, read for both dialects. The rows are written by the
// dispatch queues (sqlite/queue.ts, postgres/queue.ts) in the write that records the send.
import type { StoryStore, StoryTelling } from '../ports/stories.js';
import type { SqlHandle } from './db.js';

/** Customer ids per statement: well under both dialects' bound parameter limits. */
const CHUNK = 500;

export class SqlStories implements StoryStore {
  constructor(private readonly handle: SqlHandle) {}

  async toldTo(customerIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const told = new Map<string, Set<string>>();
    const ids = [...new Set(customerIds)];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.handle.db
        .selectFrom('story_tellings')
        .select(['customer_id', 'story_id'])
        .where('customer_id', 'in', ids.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) {
        let set = told.get(row.customer_id);
        if (set === undefined) told.set(row.customer_id, (set = new Set()));
        set.add(row.story_id);
      }
    }
    return told;
  }

  async tellings(customerId: string): Promise<StoryTelling[]> {
    const rows = await this.handle.db
      .selectFrom('story_tellings')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('told_at')
      .orderBy('story_id')
      .execute();
    return rows.map((row) => ({
      customerId: row.customer_id,
      storyId: row.story_id,
      touchPointId: row.touch_point_id,
      toldAt: Number(row.told_at),
    }));
  }
}
