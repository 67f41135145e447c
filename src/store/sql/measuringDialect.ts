// The JSON access the measuring queries need, per dialect: SQLite's json_extract / json_each on
// JSON text, PostgreSQL's jsonb operators (events.data and orders.moments are jsonb there; the
// compact plan is our own text encoding, records/plan.ts, an array of arrays on both).
import { sql, type RawBuilder } from 'kysely';

export interface PlanColumns {
  /** What to CROSS JOIN to get one row per plan entry of `e.plan`, aliased `p`. */
  from: RawBuilder<unknown>;
  step: RawBuilder<string>;
  channel: RawBuilder<string>;
  /** The entry's status code: s(cheduled), k (skipped), c(ancelled), q(ueued: a row now). */
  status: RawBuilder<string>;
  reason: RawBuilder<string | null>;
}

export interface MeasuringDialect {
  /** The value of `key` when it is a JSON string, else NULL. */
  string(column: RawBuilder<unknown>, key: string): RawBuilder<string | null>;
  /** The value of `key`, NULL when absent or JSON null (for IS NULL tests). */
  value(column: RawBuilder<unknown>, key: string): RawBuilder<unknown>;
  number(column: RawBuilder<unknown>, key: string): RawBuilder<number>;
  /** A countable survey answer: survey csat or nps, and a numeric score (records/cellTally.ts answerOf). */
  validAnswer(data: RawBuilder<unknown>): RawBuilder<boolean>;
  plan(column: RawBuilder<unknown>): PlanColumns;
}

const sqlite: MeasuringDialect = {
  string: (c, key) =>
    sql`CASE WHEN json_type(${c}, ${`$.${key}`}) = 'text' THEN json_extract(${c}, ${`$.${key}`}) END`,
  value: (c, key) => sql`json_extract(${c}, ${`$.${key}`})`,
  number: (c, key) => sql`json_extract(${c}, ${`$.${key}`})`,
  validAnswer: (c) =>
    sql`(json_extract(${c}, '$.survey') IN ('csat', 'nps') AND json_type(${c}, '$.score') IN ('integer', 'real'))`,
  plan: (c) => ({
    from: sql`json_each(${c}) p`,
    step: sql`json_extract(p.value, '$[0]')`,
    channel: sql`json_extract(p.value, '$[1]')`,
    status: sql`coalesce(json_extract(p.value, '$[5]'), 's')`,
    reason: sql`json_extract(p.value, '$[6]')`,
  }),
};

const postgres: MeasuringDialect = {
  string: (c, key) => sql`CASE WHEN jsonb_typeof(${c} -> ${key}) = 'string' THEN ${c} ->> ${key} END`,
  value: (c, key) => sql`(${c} ->> ${key})`,
  number: (c, key) => sql`(${c} ->> ${key})::double precision`,
  validAnswer: (c) =>
    sql`((${c} ->> 'survey') IN ('csat', 'nps') AND jsonb_typeof(${c} -> 'score') = 'number')`,
  plan: (c) => ({
    from: sql`LATERAL jsonb_array_elements((${c})::jsonb) p(v)`,
    step: sql`(p.v ->> 0)`,
    channel: sql`(p.v ->> 1)`,
    status: sql`coalesce(p.v ->> 5, 's')`,
    reason: sql`(p.v ->> 6)`,
  }),
};

export function measuringDialect(dialect: 'sqlite' | 'postgres'): MeasuringDialect {
  return dialect === 'postgres' ? postgres : sqlite;
}
