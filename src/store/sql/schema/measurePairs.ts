// 0019-measure-pairs: the cells kept per day (0008-measuring) now hold pairs of answers about the
// same order, from which gap analysis derives importance. Days stored before have none, so every
// stored day is marked: a report counts them afresh until the workers have folded them again.
import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';

export function measurePairsSchema(schema: string | null = null): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const name = (table: string): RawBuilder<unknown> =>
        sql.table(schema === null ? table : `${schema}.${table}`);
      await sql`INSERT INTO ${name('measure_dirty')} (day)
        SELECT s.day FROM ${name('measure_days')} s
        WHERE NOT EXISTS (SELECT 1 FROM ${name('measure_dirty')} d WHERE d.day = s.day)`.execute(db);
    },
  };
}
