// Bulk writes for PostgreSQL intake and claims: new rows through COPY (one stream per table per
// batch), changed rows through one `UPDATE ... FROM unnest(...)` per table, each column sent as
// one typed array. Named hot paths: `postgres.intake.copy`, `postgres.intake.update`.
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

/** How a column arrives in the unnest: booleans as 0/1 integers, JSON as text. */
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
 * `UPDATE table SET <columns> FROM unnest(...) WHERE <keys match> [AND <guard>]`: every row
 * changed in one statement. `columns` defaults to every column but the keys.
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
  const types: Record<string, PgType> = COLUMNS[table];
  const set = options.columns ?? Object.keys(types).filter((c) => !keys.includes(c));
  const all = [...keys, ...set];
  const params = all.map((column) => rows.map((row) => row[column] ?? null));
  const unnest = all.map((column, i) => `$${i + 1}::${arrayType(types[column]!)}[]`).join(', ');
  const assignments = set.map((c) => `${c} = ${fromArray(types[c]!, `u.${c}`)}`).join(', ');
  const match = keys.map((k) => `t.${k} = u.${k}`).join(' AND ');
  const { rowCount } = await client.query(
    `UPDATE ${qualified} AS t SET ${assignments} FROM unnest(${unnest}) AS u(${all.join(', ')})
     WHERE ${match}${options.guard ? ` AND ${options.guard}` : ''}`,
    params,
  );
  return rowCount ?? 0;
}

/** SQL parts for statements that combine several bulk writes: parameters are numbered from `first`. */
export interface Fragment {
  sql: string;
  params: unknown[];
}

/** `INSERT INTO table (...) SELECT ... FROM unnest(...)`, parameters numbered from `first`. */
export function insertFragment(
  qualified: string,
  table: WrittenTable,
  rows: readonly Row[],
  first: number,
): Fragment {
  const types: Record<string, PgType> = COLUMNS[table];
  const columns = Object.keys(types);
  const params = columns.map((column) => rows.map((row) => row[column] ?? null));
  const unnest = columns.map((column, i) => `$${first + i}::${arrayType(types[column]!)}[]`).join(', ');
  const values = columns.map((c) => fromArray(types[c]!, `u.${c}`)).join(', ');
  return {
    sql: `INSERT INTO ${qualified} (${columns.join(', ')}) SELECT ${values} FROM unnest(${unnest}) AS u(${columns.join(', ')})`,
    params,
  };
}

/** `UPDATE ... FROM unnest(...)` as a fragment, parameters numbered from `first`. */
export function updateFragment(
  qualified: string,
  table: WrittenTable,
  keys: readonly string[],
  columns: readonly string[],
  rows: readonly Row[],
  first: number,
): Fragment {
  const types: Record<string, PgType> = COLUMNS[table];
  const all = [...keys, ...columns];
  const params = all.map((column) => rows.map((row) => row[column] ?? null));
  const unnest = all.map((column, i) => `$${first + i}::${arrayType(types[column]!)}[]`).join(', ');
  const assignments = columns.map((c) => `${c} = ${fromArray(types[c]!, `u.${c}`)}`).join(', ');
  const match = keys.map((k) => `t.${k} = u.${k}`).join(' AND ');
  return {
    sql: `UPDATE ${qualified} AS t SET ${assignments} FROM unnest(${unnest}) AS u(${all.join(', ')}) WHERE ${match}`,
    params,
  };
}
