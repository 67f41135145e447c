// Rate windows for both dialects: one upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING)
// counts a hit, restarting a window that has run out, so concurrent hits from several processes
// serialize on the row and each reads back its own count.
import type { Millis } from '../../core/domain.js';
import type { RateWindow, RateWindowStore } from '../ports/rateWindows.js';
import type { SqlHandle } from './db.js';

export class SqlRateWindows implements RateWindowStore {
  constructor(private readonly sql: SqlHandle) {}

  async hit(kind: string, key: string, at: Millis, windowMs: Millis): Promise<RateWindow> {
    const row = await this.sql.db
      .insertInto('rate_windows')
      .values({ kind, key, started_at: at, count: 1 })
      .onConflict((oc) =>
        oc.columns(['kind', 'key']).doUpdateSet((eb) => {
          const over = eb('rate_windows.started_at', '<=', at - windowMs);
          return {
            count: eb
              .case()
              .when(over)
              .then(1)
              .else(eb('rate_windows.count', '+', 1))
              .end(),
            started_at: eb.case().when(over).then(at).else(eb.ref('rate_windows.started_at')).end(),
          };
        }),
      )
      .returning(['count', 'started_at'])
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), startedAt: Number(row.started_at) };
  }

  async clear(kind: string, key: string): Promise<void> {
    await this.sql.db.deleteFrom('rate_windows').where('kind', '=', kind).where('key', '=', key).execute();
  }

  async purge(before: Millis): Promise<number> {
    const result = await this.sql.db
      .deleteFrom('rate_windows')
      .where('started_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
