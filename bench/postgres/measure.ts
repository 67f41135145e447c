// Measuring on PostgreSQL: the report's cells (store.measuring.cells) over the same history as
// bench/sqlite/measure.ts, seeded with COPY into a fresh schema in a child process (so the timed
// process's peak memory is its own), then timed to the last row RUNS times; prints JSON.
//   AFTERCARE_BENCH_MEASURE_ORDERS=1000000 AFTERCARE_BENCH_MEASURE_RUNS=5 node --import tsx bench/postgres/measure.ts
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { timeReport } from '../report.js';
import { timeBehind, timeBusy, timeCatchUp } from '../measuring/fold.js';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyCell } from '../../src/store/postgres/bulk.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { envInt, isMain, peakRssMb, today } from '../common.js';
import {
  BEHIND_DAYS,
  BUSY,
  COLUMNS,
  seedMeasuring,
  timeCells,
  type Cell,
  type SeedCounts,
  type SeedTable,
} from '../sqlite/measure.js';
import { PG_URL, benchSchema, dropSchema } from './common.js';

const HOUR = 3_600_000;

async function seedSchema(schema: string, orders: number, now: number): Promise<SeedCounts> {
  const store = await openPostgresStore(PG_URL, { schema });
  await store.close();
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const copy = async (table: SeedTable, rows: Cell[][]): Promise<void> => {
      let text = '';
      for (const row of rows) text += `${row.map(copyCell).join('\t')}\n`;
      const stream = client.query(
        copyFrom(`COPY "${schema}".${table} (${COLUMNS[table].join(', ')}) FROM STDIN`),
      );
      await pipeline(Readable.from([text]), stream);
    };
    const counts = await seedMeasuring(orders, now, copy);
    await client.query(
      `VACUUM ANALYZE "${schema}".orders, "${schema}".enrollments, "${schema}".touch_points, "${schema}".events, "${schema}".tasks, "${schema}".concerns`,
    );
    return counts;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const orders = envInt('AFTERCARE_BENCH_MEASURE_ORDERS', 1_000_000);
  const runs = envInt('AFTERCARE_BENCH_MEASURE_RUNS', 5);
  const now = Number(process.env.AFTERCARE_BENCH_MEASURE_NOW ?? today() + 12 * HOUR);
  const given = process.env.AFTERCARE_BENCH_MEASURE_SCHEMA;
  if (process.env.AFTERCARE_BENCH_MEASURE_PHASE === 'seed' && given !== undefined) {
    const began = performance.now();
    const counts = await seedSchema(given, orders, now);
    console.log(
      JSON.stringify({ ...counts, seedSeconds: Math.round((performance.now() - began) / 100) / 10 }),
    );
    return;
  }
  // A schema seeded before (AFTERCARE_BENCH_MEASURE_SEEDED, with the same NOW) is used and kept.
  const reuse = process.env.AFTERCARE_BENCH_MEASURE_SEEDED;
  const schema = reuse ?? benchSchema('measure');
  try {
    const seeded =
      reuse !== undefined
        ? null
        : spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
            env: {
              ...process.env,
              AFTERCARE_BENCH_MEASURE_PHASE: 'seed',
              AFTERCARE_BENCH_MEASURE_SCHEMA: schema,
              AFTERCARE_BENCH_MEASURE_NOW: String(now),
            },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          });
    if (seeded !== null && seeded.status !== 0) throw new Error(`seeding failed (exit ${seeded.status})`);
    const seed =
      seeded === null
        ? { reused: schema }
        : (JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as SeedCounts);
    const opened = performance.now();
    // Opening applies pending migrations: on a schema seeded before 0008, that marks every day.
    const store = await openPostgresStore(PG_URL, { schema });
    const openSeconds = Math.round((performance.now() - opened) / 100) / 10;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const catchUp = await timeCatchUp(store);
      await client.query(`VACUUM ANALYZE "${schema}".measure_days`);
      const timing = await timeCells(() => store.measuring.cells({ asOf: now }), runs);
      // The whole report on the same store (cells again, assembly, statistics, gaps, JSON).
      const report = await timeReport(store, now, runs);
      const markDays = async (days: number[]): Promise<void> => {
        await client.query(
          `INSERT INTO "${schema}".measure_dirty (day) SELECT unnest($1::int[]) ON CONFLICT DO NOTHING`,
          [days],
        );
      };
      const behind = await timeBehind(store, now, BEHIND_DAYS, runs, markDays);
      const busy = await timeBusy(
        store,
        now,
        {
          mark: markDays,
          marked: async () =>
            Number((await client.query(`SELECT COUNT(*) AS n FROM "${schema}".measure_dirty`)).rows[0].n),
        },
        BUSY,
      );
      console.log(
        JSON.stringify({
          store: 'postgres',
          server: PG_URL.replace(/\/\/[^@]*@/, '//'),
          seed,
          openSeconds,
          catchUp,
          behind,
          busy,
          ...timing,
          peakRssMb: peakRssMb(),
          goalMs: 3000,
          met: timing.medianMs < 3000,
          ...report,
          reportMet: report.reportMedianMs < 3000,
          behindMet: behind.cellsMedianMs < 3000,
          busyMet: busy.cellsMedianMs < 3000,
          busyLaggedMet: busy.laggedMedianMs < 3000,
        }),
      );
    } finally {
      await client.end();
      await store.close();
    }
  } finally {
    if (reuse === undefined) await dropSchema(schema);
  }
}

if (isMain(import.meta.url)) await main();
