// Ingest on embedded SQLite: N orders from a CSV file through the real `aftercare import` path
// (scan -> stream -> validate -> intake: reduce, plan, write), then, in the same run, the very
// rows the import wrote copied by a plain better-sqlite3 insert into an empty file with the same
// schema, indexes and settings: the floor for "the rows this schema needs". The orders are placed
// in the two days before today, so the import plans touch points still to come, not stale ones.
//   AFTERCARE_BENCH_INGEST_ORDERS=1000000 node --import tsx bench/sqlite/ingest.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importCommand } from '../../src/cli/import.js';
import { SqliteIntake } from '../../src/store/sqlite/intake.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { envInt, isMain, ordersCsv, peakRssMb, seconds, today } from '../common.js';
import { HotPaths } from '../hotPaths.js';
import { emptyTally, tallyPlan, type PlanTally } from '../planTally.js';

const GOALS = { ordersPerSecond: 15_000, ratioToRawInsert: 0.8, peakRssMb: 500 };
/** Written by the migration in both files alike: the schema's bookkeeping and the install key. */
const NOT_COPIED = new Set(['aftercare_migrations', 'sqlite_sequence', 'settings']);

/** Times every intake transaction of the import (`sqlite.intake`) without changing the store. */
function timeIntake(paths: HotPaths): () => void {
  const proto = SqliteIntake.prototype;
  // Called below with the instance as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = proto.apply;
  proto.apply = async function (this: SqliteIntake, ...args: Parameters<SqliteIntake['apply']>) {
    const began = process.hrtime.bigint();
    const result = await original.apply(this, args);
    paths.record('sqlite.intake', Number(process.hrtime.bigint() - began) / 1000, args[0].length);
    return result;
  };
  return () => {
    proto.apply = original;
  };
}

export async function benchSqliteIngest(): Promise<Record<string, unknown>> {
  const orders = envInt('AFTERCARE_BENCH_INGEST_ORDERS', 1_000_000);
  const start = today();
  const csv = await ordersCsv(orders, { start, events: false, pastDays: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-ingest-'));
  const db = join(dir, 'aftercare.db');
  const paths = new HotPaths();
  try {
    process.env.AFTERCARE_DB = db;
    process.env.AFTERCARE_DATA_DIR = dir;
    process.env.AFTERCARE_PLAYBOOKS = 'reassure';
    // The import's summary goes to stdout: keep it for the counts, and stdout for the JSON.
    const write = process.stdout.write.bind(process.stdout);
    let summary = '';
    process.stdout.write = (chunk: string | Uint8Array) => {
      summary += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    };
    const untime = timeIntake(paths);
    const began = process.hrtime.bigint();
    let exit: number;
    try {
      exit = await importCommand(csv.orders, {});
    } finally {
      process.stdout.write = write;
      untime();
    }
    const importSeconds = seconds(began);
    const peakMb = peakRssMb();
    if (exit !== 0) throw new Error(`import exited with ${exit}:\n${summary}`);
    const hotPaths = paths.report();
    const transactions = hotPaths['sqlite.intake']?.calls ?? 1;

    const written = countWritten(db);
    const raw = await rawInsert(db, join(dir, 'raw.db'), transactions);
    const ordersPerSecond = orders / importSeconds;
    const rawOrdersPerSecond = orders / raw.insertSeconds;
    const ratio = ordersPerSecond / rawOrdersPerSecond;
    return {
      orders,
      csv: {
        file: csv.orders,
        bytes: statSync(csv.orders).size,
        placed: 'the 2 days before today 00:00 UTC',
      },
      importSummary: parseSummary(summary),
      plan: written.plan,
      rows: raw.rows,
      importSeconds: round(importSeconds),
      ordersPerSecond: Math.round(ordersPerSecond),
      peakRssMb: peakMb,
      hotPaths,
      raw: {
        method: `one prepared INSERT per table, row by row, in ${transactions} transactions like the import's`,
        insertSeconds: round(raw.insertSeconds),
        readSecondsNotCounted: round(raw.readSeconds),
        ordersPerSecond: Math.round(rawOrdersPerSecond),
      },
      ratioToRawInsert: round(ratio),
      goals: GOALS,
      met: {
        ordersPerSecond: ordersPerSecond >= GOALS.ordersPerSecond,
        ratioToRawInsert: ratio >= GOALS.ratioToRawInsert,
        peakRssMb: peakMb < GOALS.peakRssMb,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The counts the import printed (orders imported, touch points planned, ...). */
function parseSummary(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/^ {2}(\S.*?\S)\s{2,}([\d,]+)$/gm)) {
    out[match[1]!] = Number(match[2]!.replace(/,/g, ''));
  }
  return out;
}

/** What the plans hold: scheduled steps, steps skipped as stale at import, and the rest. */
function countWritten(path: string): { plan: PlanTally } {
  const db = new Database(path, { readonly: true });
  try {
    const plan = emptyTally();
    const plans = db.prepare('SELECT plan FROM enrollments').pluck().iterate() as IterableIterator<string>;
    for (const encoded of plans) tallyPlan(plan, encoded);
    return { plan };
  } finally {
    db.close();
  }
}

function tablesOf(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((name) => !NOT_COPIED.has(name));
}

function indexesOf(db: Database.Database): string {
  return JSON.stringify(
    db.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all(),
  );
}

/**
 * Copies every row the import wrote (every table but the migration's bookkeeping), each table in
 * its insertion (rowid) order, into a fresh file made by the same store code (same schema, same
 * indexes, same pragmas, same connection settings). The rows go in `transactions` transactions,
 * each holding the next slice of every table in the order intake writes them, as the import's
 * transactions did. Reading the source is timed apart and not counted.
 */
async function rawInsert(
  sourcePath: string,
  targetPath: string,
  transactions: number,
): Promise<{ insertSeconds: number; readSeconds: number; rows: Record<string, number> }> {
  const source = new Database(sourcePath, { readonly: true });
  const target = await openSqliteStore(targetPath);
  const sink = target.database;
  const readers: Database.Database[] = [];
  try {
    if (indexesOf(source) !== indexesOf(sink)) throw new Error('raw insert: the copy has other indexes');
    // Intake's write order within a transaction; anything else the import wrote goes first.
    const order = ['customers', 'orders', 'events', 'enrollments', 'touch_points'];
    const tables = tablesOf(source).sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const rows: Record<string, number> = {};
    const plans = tables.map((table) => {
      const columns = (source.prepare(`SELECT * FROM ${table} LIMIT 0`).columns() as { name: string }[]).map(
        (c) => c.name,
      );
      const count = (source.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      if (count > 0 || order.includes(table)) rows[table] = count;
      const list = columns.join(', ');
      const reader = new Database(sourcePath, { readonly: true });
      readers.push(reader);
      return {
        table,
        // A table intake does not write every batch (playbook versions: once, at start-up) goes in the first.
        slices: order.includes(table) ? transactions : 1,
        count,
        // A connection of its own per table: the slices of all tables are read side by side.
        read: reader
          .prepare(`SELECT ${list} FROM ${table} ORDER BY rowid`)
          .raw(true)
          .iterate() as IterableIterator<unknown[]>,
        insert: sink.prepare(`INSERT INTO ${table} (${list}) VALUES (${columns.map(() => '?').join(', ')})`),
      };
    });
    const write = sink.transaction((slices: { insert: Database.Statement; rows: unknown[][] }[]) => {
      for (const { insert, rows: batch } of slices) for (const row of batch) insert.run(row);
    });
    let readSeconds = 0;
    let insertSeconds = 0;
    for (let t = 0; t < transactions; t++) {
      let began = process.hrtime.bigint();
      const slices = plans.map((plan) => {
        const batch: unknown[][] = [];
        if (t < plan.slices) {
          // Slice t of `slices` equal parts.
          const end = Math.round(((t + 1) * plan.count) / plan.slices);
          const size = end - Math.round((t * plan.count) / plan.slices);
          for (let i = 0; i < size; i++) {
            const next = plan.read.next();
            if (next.done) break;
            batch.push(next.value);
          }
        }
        return { insert: plan.insert, rows: batch };
      });
      readSeconds += seconds(began);
      began = process.hrtime.bigint();
      write.immediate(slices);
      insertSeconds += seconds(began);
    }
    for (const plan of plans) {
      if (!plan.read.next().done) throw new Error(`raw insert: rows of ${plan.table} were left over`);
      const copied = (sink.prepare(`SELECT count(*) AS n FROM ${plan.table}`).get() as { n: number }).n;
      if (copied !== plan.count)
        throw new Error(`raw insert: ${plan.table} has ${copied} rows, not ${plan.count}`);
    }
    return { insertSeconds, readSeconds, rows };
  } finally {
    for (const reader of readers) {
      try {
        reader.close();
      } catch {
        // still iterating after a failure: the process ends soon anyway
      }
    }
    source.close();
    await target.close();
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchSqliteIngest(), null, 2));
