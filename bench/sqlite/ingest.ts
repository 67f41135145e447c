// Ingest on embedded SQLite: N orders from a CSV file through the real `aftercare import` path
// (stream -> validate -> plan -> store), then the very same rows inserted by a plain
// better-sqlite3 loop into an empty copy of the schema, side by side in the same run.
//   AFTERCARE_BENCH_INGEST_ORDERS=1000000 node --import tsx bench/sqlite/ingest.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importCommand } from '../../src/cli/import.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { envInt, isMain, ordersCsv, peakRssMb, seconds, today } from '../common.js';

const TABLES = ['customers', 'orders', 'events', 'enrollments', 'touch_points'] as const;

export async function benchSqliteIngest(): Promise<Record<string, unknown>> {
  const orders = envInt('AFTERCARE_BENCH_INGEST_ORDERS', 1_000_000);
  const start = today();
  const csv = await ordersCsv(orders, { start, events: false });
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-ingest-'));
  const db = join(dir, 'aftercare.db');
  try {
    process.env.AFTERCARE_DB = db;
    process.env.AFTERCARE_DATA_DIR = dir;
    // The import's own progress and summary go to stderr/stdout; keep stdout for the JSON.
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    const began = process.hrtime.bigint();
    let exit: number;
    try {
      exit = await importCommand(csv.orders, {});
    } finally {
      process.stdout.write = write;
    }
    const importSeconds = seconds(began);
    const peakMb = peakRssMb();
    if (exit !== 0) throw new Error(`import exited with ${exit}`);

    const raw = await rawInsert(db, join(dir, 'raw.db'));
    const ordersPerSecond = orders / importSeconds;
    const rawOrdersPerSecond = orders / raw.insertSeconds;
    return {
      orders,
      csvBytes: statSync(csv.orders).size,
      rows: raw.rows,
      importSeconds: round(importSeconds),
      ordersPerSecond: Math.round(ordersPerSecond),
      peakRssMb: peakMb,
      rawInsertSeconds: round(raw.insertSeconds),
      rawOrdersPerSecond: Math.round(rawOrdersPerSecond),
      ratioToRawInsert: round(ordersPerSecond / rawOrdersPerSecond),
      goals: { ordersPerSecond: 30_000, ratioToRawInsert: 0.6, peakRssMb: 500 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Copies every row of the tables intake writes into an empty database with the same schema and
 * indexes, with one prepared INSERT per table in transactions of 10,000 rows — the floor for
 * "the same rows through better-sqlite3". Reading the source is timed alone and subtracted.
 */
async function rawInsert(
  sourcePath: string,
  targetPath: string,
): Promise<{ insertSeconds: number; rows: Record<string, number> }> {
  const target = await openSqliteStore(targetPath); // creates the same schema
  await target.close();
  const source = new Database(sourcePath, { readonly: true });
  const sink = new Database(targetPath);
  sink.pragma('journal_mode = WAL');
  sink.pragma('synchronous = NORMAL');
  const rows: Record<string, number> = {};
  let readSeconds = 0;
  let totalSeconds = 0;
  for (const table of TABLES) {
    const select = source.prepare(`SELECT * FROM ${table}`).raw(true);
    let began = process.hrtime.bigint();
    let count = 0;
    for (const row of select.iterate()) count += (row as unknown[]).length > 0 ? 1 : 0;
    readSeconds += seconds(began);
    rows[table] = count;

    const columns = select.columns().length;
    const insert = sink.prepare(`INSERT INTO ${table} VALUES (${Array(columns).fill('?').join(',')})`);
    let buffer: unknown[][] = [];
    const flush = sink.transaction((batch: unknown[][]) => {
      for (const row of batch) insert.run(row);
    });
    began = process.hrtime.bigint();
    for (const row of select.iterate()) {
      buffer.push(row as unknown[]);
      if (buffer.length === 10_000) {
        flush(buffer);
        buffer = [];
      }
    }
    flush(buffer);
    totalSeconds += seconds(began);
  }
  source.close();
  sink.close();
  return { insertSeconds: totalSeconds - readSeconds, rows };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchSqliteIngest(), null, 2));
