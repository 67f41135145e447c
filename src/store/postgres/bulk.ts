// Bulk writes for PostgreSQL intake and claims: new rows through COPY (one stream per table per
// batch), changed rows through one `UPDATE ... FROM json_to_recordset(...)` per table, the rows
// sent as one JSON parameter. Named hot paths: `postgres.intake.copy`, `postgres.intake.update`.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COLUMNS, type PgType, type WrittenTable } from './columns.js';

export type Cell = string | number | null;
type Row = Record<string, Cell>;

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY text format (booleans are written 0/1, which PostgreSQL accepts). */
export function copyCell(value: Cell): string {
  if (value === null) return '\\N';
  if (typeof value === 'string')
    return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
  return String(value);
}

/** COPY `rows` into `table` (schema-qualified), columns in schema order; a no-op for no rows. */
export async function copyRows(
  client: PoolClient,
  qualified: string,
  table: WrittenTable,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(COLUMNS[table]);
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) text += '\t';
      text += copyCell(row[columns[i]!] ?? null);
    }
    text += '\n';
  }
  const stream = client.query(copyFrom(`COPY ${qualified} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([text]), stream);
}

/** How a column arrives from the client: booleans as 0/1 integers, JSON as text. */
function arrayType(type: PgType): string {
  if (type === 'boolean') return 'integer';
  if (type === 'jsonb') return 'text';
  return type;
}

function fromArray(type: PgType, ref: string): string {
  if (type === 'boolean') return `(${ref} <> 0)`;
  if (type === 'jsonb') return `${ref}::jsonb`;
  return ref;
}

/**
 * Every row changed in one statement (updateFragment), `AND <guard>` if given. `columns`
 * defaults to every column but the keys. Without the `= ANY` on the first key the planner, which
 * cannot see how few rows the JSON holds, would hash a scan of the whole table.
 */
export async function updateRows(
  client: PoolClient,
  qualified: string,
  table: WrittenTable,
  keys: readonly string[],
  rows: readonly Row[],
  options: { columns?: readonly string[]; guard?: string } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const set = options.columns ?? Object.keys(COLUMNS[table]).filter((c) => !keys.includes(c));
  const update = updateFragment(qualified, table, keys, set, rows, 1);
  const { rowCount } = await client.query(
    `${update.sql}${options.guard ? ` AND ${options.guard}` : ''}`,
    update.params,
  );
  return rowCount ?? 0;
}

/** SQL parts for statements that combine several bulk writes: parameters are numbered from `first`. */
export interface Fragment {
  sql: string;
  params: unknown[];
}

/**
 * The rows as one JSON parameter, unpacked by the server (`json_to_recordset`): one string to
 * send and parse instead of an array literal per column, which node-pg builds and escapes value
 * by value (measured: a third of a 500-row claim's time went into that).
 */
function recordset(
  table: WrittenTable,
  columns: readonly string[],
  rows: readonly Row[],
  param: number,
): Fragment {
  const types: Record<string, PgType> = COLUMNS[table];
  const projected = rows.map((row) => {
    const out: Record<string, Cell> = {};
    for (const column of columns) out[column] = row[column] ?? null;
    return out;
  });
  const shape = columns.map((c) => `${c} ${arrayType(types[c]!)}`).join(', ');
  return { sql: `json_to_recordset($${param}::json) AS u(${shape})`, params: [JSON.stringify(projected)] };
}

/** `INSERT INTO table (...) SELECT ... FROM json_to_recordset(...)`, one parameter numbered `first`. */
export function insertFragment(
  qualified: string,
  table: WrittenTable,
  rows: readonly Row[],
  first: number,
): Fragment {
  const types: Record<string, PgType> = COLUMNS[table];
  const columns = Object.keys(types);
  const source = recordset(table, columns, rows, first);
  const values = columns.map((c) => fromArray(types[c]!, `u.${c}`)).join(', ');
  return {
    sql: `INSERT INTO ${qualified} (${columns.join(', ')}) SELECT ${values} FROM ${source.sql}`,
    params: source.params,
  };
}

/**
 * `UPDATE ... FROM json_to_recordset(...)` as a fragment: two parameters from `first` (the rows,
 * then the first key's values, matched with `= ANY` so the table is reached through its index).
 */
export function updateFragment(
  qualified: string,
  table: WrittenTable,
  keys: readonly string[],
  columns: readonly string[],
  rows: readonly Row[],
  first: number,
): Fragment {
  const types: Record<string, PgType> = COLUMNS[table];
  const source = recordset(table, [...keys, ...columns], rows, first);
  const assignments = columns.map((c) => `${c} = ${fromArray(types[c]!, `u.${c}`)}`).join(', ');
  const lead = keys[0]!;
  const join = keys.map((k) => `t.${k} = u.${k}`).join(' AND ');
  return {
    sql:
      `UPDATE ${qualified} AS t SET ${assignments} FROM ${source.sql} ` +
      `WHERE t.${lead} = ANY($${first + 1}::${arrayType(types[lead]!)}[]) AND ${join}`,
    params: [...source.params, rows.map((row) => row[lead] ?? null)],
  };
}
