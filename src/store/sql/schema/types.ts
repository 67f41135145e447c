// Column types per dialect, so each migration is written once: the same table reads the same
// way on SQLite and PostgreSQL (times are integer milliseconds everywhere, keys compare bytewise).
import { sql, type ColumnDataType, type Expression } from 'kysely';

export type SqlDialectName = 'sqlite' | 'postgres';

type DataType = ColumnDataType | Expression<unknown>;

export interface ColumnTypes {
  /** Ids and other keys: bytewise order ("C" collation on PostgreSQL), cheapest to index. */
  key: DataType;
  text: DataType;
  /** Epoch milliseconds. */
  millis: DataType;
  int: DataType;
  real: DataType;
  bool: DataType;
  /** JSON people may query (PostgreSQL jsonb); our own compact encodings use `text`. */
  json: DataType;
}

export function columnTypes(dialect: SqlDialectName): ColumnTypes {
  if (dialect === 'postgres') {
    return {
      key: sql`text collate "C"`,
      text: 'text',
      millis: 'bigint',
      int: 'integer',
      real: 'double precision',
      bool: 'boolean',
      json: 'jsonb',
    };
  }
  return {
    key: 'text',
    text: 'text',
    millis: 'integer',
    int: 'integer',
    real: 'real',
    bool: 'integer',
    json: 'text',
  };
}
