// Multi-row INSERT statements for SQLite: rows go out a chunk per statement (one call into SQLite
// instead of one per row), chunks sized in powers of two so only a few statements are prepared.
import type Database from 'better-sqlite3';
import { placeholders, type SqlValue } from './rows.js';

/** SQLite's default limit on bound variables per statement (SQLITE_MAX_VARIABLE_NUMBER). */
const MAX_VARIABLES = 32766;
/** Rows per statement at most: beyond this a bigger statement buys nothing measurable. */
const MAX_ROWS = 64;

export class MultiRowInsert {
  private readonly statements = new Map<number, Database.Statement<SqlValue[]>>();
  private readonly chunk: number;

  /** `head` is `INSERT ... (columns) VALUES`, `tail` what follows the rows (e.g. ON CONFLICT). */
  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly width: number,
    private readonly tail = '',
  ) {
    let chunk = 1;
    while (chunk * 2 <= MAX_ROWS && chunk * 2 * width <= MAX_VARIABLES) chunk *= 2;
    this.chunk = chunk;
  }

  /** Inserts every row (each `width` values, given flat by `push`); returns how many changed. */
  run<T>(rows: readonly T[], push: (out: SqlValue[], row: T) => void): number {
    let changes = 0;
    let start = 0;
    while (start < rows.length) {
      let size = this.chunk;
      while (size > rows.length - start) size /= 2;
      const params: SqlValue[] = [];
      for (let i = start; i < start + size; i++) push(params, rows[i]!);
      changes += this.statement(size).run(...params).changes;
      start += size;
    }
    return changes;
  }

  private statement(rows: number): Database.Statement<SqlValue[]> {
    let statement = this.statements.get(rows);
    if (!statement) {
      const row = `(${placeholders(this.width)})`;
      statement = this.db.prepare(`${this.head} ${Array(rows).fill(row).join(', ')} ${this.tail}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
