// Multi-row INSERT for SQLite: rows go out a chunk per statement (one call into SQLite instead of
// one per row), chunks sized in powers of two so only a few statements are ever prepared.
import type Database from 'better-sqlite3';

/** SQLite's default limit on bound variables per statement (SQLITE_MAX_VARIABLE_NUMBER). */
const MAX_VARIABLES = 32766;
/** Rows per statement at most: beyond this a bigger statement buys nothing measurable. */
const MAX_ROWS = 64;

export type SqlValue = string | number | null;

export class MultiRowInsert<R extends Record<string, SqlValue>> {
  private readonly statements = new Map<number, Database.Statement<SqlValue[]>>();
  private columns: readonly (keyof R & string)[] = [];
  private chunk = 1;

  /** `tail` follows the rows (e.g. ON CONFLICT ...). Columns are the rows' keys, in their order. */
  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly tail = '',
  ) {}

  /** Inserts every row; returns how many rows changed. */
  run(rows: readonly R[]): number {
    if (rows.length === 0) return 0;
    if (this.columns.length === 0) this.setColumns(Object.keys(rows[0]!));
    let changes = 0;
    let start = 0;
    const width = this.columns.length;
    while (start < rows.length) {
      let size = this.chunk;
      while (size > rows.length - start) size /= 2;
      const params = new Array<SqlValue>(size * width);
      let p = 0;
      for (let i = start; i < start + size; i++) {
        const row = rows[i]!;
        for (const column of this.columns) params[p++] = row[column] ?? null;
      }
      changes += this.statement(size).run(...params).changes;
      start += size;
    }
    return changes;
  }

  private setColumns(columns: (keyof R & string)[]): void {
    this.columns = columns;
    let chunk = 1;
    while (chunk * 2 <= MAX_ROWS && chunk * 2 * columns.length <= MAX_VARIABLES) chunk *= 2;
    this.chunk = chunk;
  }

  private statement(rows: number): Database.Statement<SqlValue[]> {
    let statement = this.statements.get(rows);
    if (!statement) {
      const row = `(${this.columns.map(() => '?').join(', ')})`;
      statement = this.db.prepare(
        `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')} ${this.tail}`,
      );
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
