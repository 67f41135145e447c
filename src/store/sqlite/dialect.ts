// The query builder's view of the one better-sqlite3 connection. Kysely's own SQLite driver
// would do, but for three things: write transactions begin IMMEDIATE (so two processes sharing
// a file wait for each other instead of failing with SQLITE_BUSY), prepared statements are
// cached, and the hand-written hot paths (claims, bulk intake) run synchronously on the same
// connection under the same lock, so they never interleave with a builder transaction.
import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/** Prepared statements kept per connection; the builder's queries are few and repeat. */
const STATEMENT_CACHE = 500;

/**
 * Turns for one database file within this process. Connections to the same file share it, so a
 * transaction that awaits (the builder's) never meets another connection of this process
 * blocking the thread in SQLite's busy wait for the same file: they take turns here instead.
 * Other processes are kept apart by SQLite's own lock and busy timeout.
 */
class FileTurns {
  private tail: Promise<void> = Promise.resolve();
  users = 0;

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.tail;
    this.tail = before.then(() => held);
    await before;
    return release;
  }
}

const TURNS = new Map<string, FileTurns>();

/** One user of the connection (and of its file, within this process) at a time. */
export class ConnectionLane {
  private readonly turns: FileTurns;

  /** `file`: the resolved path, or null for a private in-memory database. */
  constructor(
    readonly db: Database.Database,
    private readonly file: string | null,
  ) {
    const shared = file === null ? undefined : TURNS.get(file);
    this.turns = shared ?? new FileTurns();
    if (file !== null && shared === undefined) TURNS.set(file, this.turns);
    this.turns.users += 1;
  }

  /** Waits for the connection, then holds it until `release` is called. */
  acquire(): Promise<() => void> {
    return this.turns.acquire();
  }

  /** Runs synchronous database work with the connection held (hot paths). */
  async run<T>(work: (db: Database.Database) => T): Promise<T> {
    const release = await this.acquire();
    try {
      return work(this.db);
    } finally {
      release();
    }
  }

  /** Closes the connection once nobody holds it. */
  async close(): Promise<void> {
    await this.run((db) => {
      if (db.open) db.close();
    });
    this.turns.users -= 1;
    if (this.file !== null && this.turns.users === 0) TURNS.delete(this.file);
  }
}

class LaneConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    if (statement.reader) return Promise.resolve({ rows: statement.all(...parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return Promise.resolve({
      rows: [],
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
    });
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite');
  }

  private prepare(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      if (this.statements.size >= STATEMENT_CACHE) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

class LaneDriver implements Driver {
  private readonly connection: LaneConnection;
  private readonly releases: (() => void)[] = [];

  constructor(private readonly lane: ConnectionLane) {
    this.connection = new LaneConnection(lane.db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.releases.push(await this.lane.acquire());
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  releaseConnection(): Promise<void> {
    // Only one holder at a time, so the last release is the holder's.
    this.releases.pop()?.();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {}
}

export class LaneDialect implements Dialect {
  constructor(private readonly lane: ConnectionLane) {}

  createDriver(): Driver {
    return new LaneDriver(this.lane);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
