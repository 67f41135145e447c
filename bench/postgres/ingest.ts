// Ingest on PostgreSQL: N orders through the production reducer (reassure playbook) into a fresh
// schema, in batches, two batches in flight (as two importer processes would); then the same
// rows written by a raw COPY into an empty copy of the schema, as the floor to compare with.
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import { makeIntakeReducer } from '../../src/engine/intake.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { PG_URL, benchSchema, dropSchema, envInt, shopOrders } from './common.js';

export interface IngestResult {
  orders: number;
  batch: number;
  inFlight: number;
  seconds: number;
  ordersPerSecond: number;
  rows: Record<string, number>;
  rawCopySeconds: number;
  /** Aftercare's time over the raw COPY's for the same rows (1 = as fast as COPY). */
  ratioToRawCopy: number;
  goalOrdersPerSecond: number;
}

const TABLES = ['customers', 'orders', 'events', 'enrollments', 'touch_points'];

export async function benchIngest(
  options: { orders?: number; batch?: number; inFlight?: number } = {},
): Promise<IngestResult> {
  const total = options.orders ?? envInt('AFTERCARE_BENCH_INGEST_ORDERS', 1_000_000);
  const batch = options.batch ?? envInt('AFTERCARE_BENCH_INGEST_BATCH', 5_000);
  const inFlight = options.inFlight ?? envInt('AFTERCARE_BENCH_INGEST_IN_FLIGHT', 2);
  const schema = benchSchema('ingest');
  const copySchema = `${schema}_copy`;
  const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
  const now = Date.now();
  const reduce = makeIntakeReducer({
    playbooks: [playbook],
    defaultTimezone: 'UTC',
    holdoutShare: 0.1,
    holdoutSalt: 'bench',
    now: () => now,
  });
  const store = await openPostgresStore(PG_URL, { schema, poolSize: inFlight + 1, notifyHorizonMs: 0 });
  const copyStore = await openPostgresStore(PG_URL, { schema: copySchema, poolSize: 1 });
  try {
    let next = 0;
    const started = process.hrtime.bigint();
    const lane = async (): Promise<void> => {
      while (next < total) {
        const from = next;
        const size = Math.min(batch, total - from);
        next += size;
        // Building the events is the importer's work, not intake's; it is small beside it.
        await store.intake.apply(shopOrders(size, from, now), reduce);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const rows: Record<string, number> = {};
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    let rawCopySeconds = 0;
    try {
      for (const table of TABLES) {
        const { rows: counted } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM "${schema}"."${table}"`,
        );
        rows[table] = Number(counted[0]!.n);
        // Read the rows out first (not timed), then time only writing them with COPY.
        const chunks: Buffer[] = [];
        const out = new PassThrough();
        out.on('data', (chunk: Buffer) => chunks.push(chunk));
        await pipeline(client.query(copyTo(`COPY "${schema}"."${table}" TO STDOUT`)), out);
        const t0 = process.hrtime.bigint();
        const sink = client.query(copyFrom(`COPY "${copySchema}"."${table}" FROM STDIN`));
        await pipeline(Readable.from(chunks), sink);
        rawCopySeconds += Number(process.hrtime.bigint() - t0) / 1e9;
      }
    } finally {
      await client.end();
    }
    return {
      orders: total,
      batch,
      inFlight,
      seconds: round(seconds),
      ordersPerSecond: Math.round(total / seconds),
      rows,
      rawCopySeconds: round(rawCopySeconds),
      ratioToRawCopy: round(seconds / rawCopySeconds),
      goalOrdersPerSecond: 20_000,
    };
  } finally {
    await store.close();
    await copyStore.close();
    await dropSchema(schema);
    await dropSchema(copySchema);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
