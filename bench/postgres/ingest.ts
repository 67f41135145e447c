// Ingest on PostgreSQL: N order.placed events (placed in the two days before now, so their
// steps are still to come) through the real intake as the composition root builds it (reassure
// playbook, holdout 10 %, playbook versions, transactions of the intake's own size), with two
// calls in flight as two importer processes would; then, in the same run, the very rows it wrote
// copied by a raw COPY (one stream per table) into an empty schema with the same tables and
// indexes, as the floor to compare with. Opening and migrating come before the clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { compose } from '../../src/app/compose.js';
import { loadConfig } from '../../src/config.js';
import { openPostgresStore, type PostgresHandle } from '../../src/store/postgres/store.js';
import { peakRssMb } from '../common.js';
import { HotPaths, timed, type HotPathStats } from '../hotPaths.js';
import { emptyTally, tallyTotal, type PlanTally } from '../planTally.js';
import { PG_URL, benchSchema, dropSchema, envInt, shopOrders } from './common.js';

const GOALS = { ordersPerSecond: 20_000, peakRssMb: 500 };
/** Intake's write order; anything else the run wrote (playbook versions) is copied first. */
const WRITE_ORDER = ['customers', 'orders', 'events', 'enrollments', 'touch_points'];

export interface IngestResult {
  orders: number;
  /** Events per intake call (the intake splits a call into transactions of 1,000). */
  batch: number;
  inFlight: number;
  seconds: number;
  ordersPerSecond: number;
  plan: PlanTally;
  rows: Record<string, number>;
  hotPaths: Record<string, HotPathStats>;
  rawCopySeconds: number;
  rawCopyOrdersPerSecond: number;
  /** Aftercare's time over the raw COPY's for the same rows (1 = as fast as COPY). */
  ratioToRawCopy: number;
  /** Of the ingesting process, before the raw copy (which holds whole tables in memory). */
  peakRssMb: number;
  goals: typeof GOALS;
  met: { ordersPerSecond: boolean; peakRssMb: boolean };
}

export async function benchIngest(
  options: { orders?: number; batch?: number; inFlight?: number } = {},
): Promise<IngestResult> {
  const total = options.orders ?? envInt('AFTERCARE_BENCH_INGEST_ORDERS', 1_000_000);
  const batch = options.batch ?? envInt('AFTERCARE_BENCH_INGEST_BATCH', 1_000);
  const inFlight = options.inFlight ?? envInt('AFTERCARE_BENCH_INGEST_IN_FLIGHT', 2);
  const schema = benchSchema('ingest');
  const copySchema = `${schema}_copy`;
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-pg-ingest-'));
  const paths = new HotPaths();
  // The store `aftercare serve` would open for this URL, its intake timed from outside.
  const opened: PostgresHandle = await openPostgresStore(PG_URL, { schema });
  const store: PostgresHandle = {
    ...opened,
    intake: timed(opened.intake, paths, {
      apply: { name: 'postgres.intake', items: ([events]) => events.length },
    }),
  };
  const copyStore = await openPostgresStore(PG_URL, { schema: copySchema, poolSize: 1 });
  try {
    const config = loadConfig({
      AFTERCARE_DB: `${PG_URL}?schema=${schema}`,
      AFTERCARE_DATA_DIR: dir,
      AFTERCARE_PLAYBOOKS: 'reassure',
      AFTERCARE_HOLDOUT: '0.1',
    });
    const app = await compose(config, { store });
    const now = Date.now();
    let next = 0;
    let planned = 0;
    const started = process.hrtime.bigint();
    const lane = async (): Promise<void> => {
      while (next < total) {
        const from = next;
        const size = Math.min(batch, total - from);
        next += size;
        // Building the events is the webhook's or importer's work, not intake's; it is small beside it.
        for (const result of await app.intake.ingest(shopOrders(size, from, now))) planned += result.planned;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peakMb = peakRssMb();
    await app.close();

    const plan = await planCounts(opened);
    // planCounts reads the plan encoding in SQL: it must find every step intake said it planned.
    const inPlans = tallyTotal(plan);
    if (inPlans !== planned) throw new Error(`the plans hold ${inPlans} steps, intake planned ${planned}`);
    const { rows, rawCopySeconds } = await rawCopy(schema, copySchema);
    const ordersPerSecond = total / seconds;
    return {
      orders: total,
      batch,
      inFlight,
      seconds: round(seconds),
      ordersPerSecond: Math.round(ordersPerSecond),
      plan,
      rows,
      hotPaths: paths.report(),
      rawCopySeconds: round(rawCopySeconds),
      rawCopyOrdersPerSecond: Math.round(total / rawCopySeconds),
      ratioToRawCopy: round(seconds / rawCopySeconds),
      peakRssMb: peakMb,
      goals: GOALS,
      met: { ordersPerSecond: ordersPerSecond >= GOALS.ordersPerSecond, peakRssMb: peakMb < GOALS.peakRssMb },
    };
  } finally {
    await opened.close();
    await copyStore.close();
    await dropSchema(schema);
    await dropSchema(copySchema);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the compact plans hold: steps scheduled, skipped as stale when planned, and the rest. */
async function planCounts(store: PostgresHandle): Promise<PlanTally> {
  const { rows } = await store.pool.query<{ status: string | null; reason: string | null; n: string }>(
    `SELECT e->>5 AS status, e->>6 AS reason, count(*) AS n
     FROM ${store.names.table('enrollments')}, jsonb_array_elements(plan::jsonb) AS e GROUP BY 1, 2`,
  );
  const plan = emptyTally();
  for (const { status, reason, n } of rows) {
    const count = Number(n);
    if (status === 'k') plan[reason === 'stale' ? 'skippedStale' : 'skippedOther'] += count;
    else if (status === 'c') plan.cancelled += count;
    else if (status === 'q') plan.queued += count;
    else plan.scheduled += count;
  }
  return plan;
}

/**
 * Every table the run wrote, in intake's write order, read out with COPY TO (not timed), then
 * written with COPY FROM into the copy schema (timed): the floor for the same rows.
 */
async function rawCopy(
  schema: string,
  copySchema: string,
): Promise<{ rows: Record<string, number>; rawCopySeconds: number }> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const same = async (name: string): Promise<string> =>
      JSON.stringify(
        (
          await client.query<{ tablename: string; indexdef: string }>(
            'SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname',
            [name],
          )
        ).rows.map((r) => ({ ...r, indexdef: r.indexdef.replaceAll(`"${name}"`, '').replaceAll(name, '') })),
      );
    if ((await same(schema)) !== (await same(copySchema)))
      throw new Error('raw copy: the copy has other indexes');
    const { rows: tables } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename NOT IN ('aftercare_migrations', 'settings')",
      [schema],
    );
    const names = tables
      .map((t) => t.tablename)
      .sort((a, b) => WRITE_ORDER.indexOf(a) - WRITE_ORDER.indexOf(b) || a.localeCompare(b));
    const rows: Record<string, number> = {};
    let rawCopySeconds = 0;
    for (const table of names) {
      const { rows: counted } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}"."${table}"`,
      );
      const count = Number(counted[0]!.n);
      if (count === 0 && !WRITE_ORDER.includes(table)) continue;
      rows[table] = count;
      if (count === 0) continue;
      const chunks: Buffer[] = [];
      const out = new PassThrough();
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      await pipeline(client.query(copyTo(`COPY "${schema}"."${table}" TO STDOUT`)), out);
      const t0 = process.hrtime.bigint();
      await pipeline(
        Readable.from(chunks),
        client.query(copyFrom(`COPY "${copySchema}"."${table}" FROM STDIN`)),
      );
      rawCopySeconds += Number(process.hrtime.bigint() - t0) / 1e9;
    }
    return { rows, rawCopySeconds };
  } finally {
    await client.end();
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
