// Measuring on embedded SQLite: the report's cells (store.measuring.cells) over a large history.
// The history the measuring benchmarks count: N orders placed over the 400 days before `now`,
// written straight into the tables as the stores would have left them (seeding through intake
// and the dispatcher would take hours, and only the counting is measured). Deterministic: a
// hash of the order number decides everything. Per order: an enrollment with its compact plan,
// about six touch point rows with mixed outcomes (sent, holdout, frequency caps, survey throttle,
// failures, cancelled by the return or cancellation), letters that became tasks, and events:
// answers through a survey link and through the API, unsubscribes, one delivery event row each.
// About 5% are returned, 3% cancelled, a quarter of customers order again; 3% raise a concern.
import type { Statement } from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { timeReport } from '../report.js';
import { timeBehind, timeBusy, timeCatchUp } from '../measuring/fold.js';
import type { Millis } from '../../src/core/domain.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { envInt, isMain, peakRssMb, today } from '../common.js';

const HOUR = 3_600_000;
/** Days the fold is behind in the `behind` case: the latest days, marked again. */
export const BEHIND_DAYS = Number(process.env.AFTERCARE_BENCH_MEASURE_BEHIND_DAYS ?? 20);
const DAY = 24 * HOUR;
/** The busy-store phase (bench/measuring/fold.ts timeBusy): how long, and how often a report reads. */
export const BUSY = {
  seconds: Number(process.env.AFTERCARE_BENCH_MEASURE_BUSY_SECONDS ?? 120),
  readEverySeconds: 15,
  sendsPerSecond: Number(process.env.AFTERCARE_BENCH_MEASURE_BUSY_SENDS ?? 2),
};

export type Cell = string | number | null;

/** Receives rows of one table in chunks, columns in the order `COLUMNS` gives. */
export type Sink = (table: SeedTable, rows: Cell[][]) => void | Promise<void>;

export type SeedTable = 'orders' | 'enrollments' | 'touch_points' | 'tasks' | 'events' | 'concerns';

export const COLUMNS: Record<SeedTable, string[]> = {
  orders: [
    'id',
    'customer_id',
    'placed_at',
    'currency',
    'total',
    'segment',
    'items',
    'shipments',
    'moments',
    'attributes',
    'embedded_events',
    'updated_at',
    'order_number',
    'sequence',
  ],
  enrollments: [
    'order_id',
    'playbook',
    'customer_id',
    'playbook_version',
    'holdout',
    'status',
    'ended_reason',
    'enrolled_at',
    'plan',
    'next_due_at',
    'next_priority',
    'next_key',
  ],
  touch_points: [
    'id',
    'order_id',
    'playbook',
    'step_key',
    'customer_id',
    'playbook_version',
    'channel',
    'purpose',
    'priority',
    'holdout',
    'due_at',
    'status',
    'attempt',
    'reason',
    'outcome_at',
    'created_at',
  ],
  tasks: [
    'id',
    'touch_point_id',
    'customer_id',
    'order_id',
    'kind',
    'title',
    'script',
    'due_at',
    'status',
    'outcome',
    'created_at',
    'completed_at',
  ],
  events: ['id', 'customer_id', 'order_id', 'type', 'at', 'data', 'received_at', 'heard_at'],
  concerns: [
    'id',
    'customer_id',
    'order_id',
    'source',
    'severity',
    'summary',
    'status',
    'level',
    'owner',
    'opened_at',
    'resolved_at',
    'escalations',
    'source_event_id',
  ],
};

/** A number in [0, 1) from an integer and a salt (murmur3's finalizer). */
function unit(i: number, salt: number): number {
  let h = Math.imul(i ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

interface StepDef {
  step: string;
  channel: string;
  purpose: string;
  afterDays: number;
  survey?: 'csat' | 'nps';
}

const STEPS: StepDef[] = [
  { step: 'thank-you', channel: 'email', purpose: 'reassurance', afterDays: 1 },
  { step: 'thank-you-letter', channel: 'task:letter', purpose: 'reassurance', afterDays: 2 },
  { step: 'order-shipped', channel: 'email', purpose: 'transactional', afterDays: 2 },
  { step: 'arrival-check', channel: 'email', purpose: 'reassurance', afterDays: 5 },
  { step: 'usage-tips', channel: 'email', purpose: 'education', afterDays: 7 },
  { step: 'checkin-week', channel: 'email', purpose: 'reassurance', afterDays: 11, survey: 'csat' },
  { step: 'checkin-month', channel: 'email', purpose: 'reassurance', afterDays: 34, survey: 'nps' },
  { step: 'review-ask', channel: 'email', purpose: 'offer', afterDays: 37 },
];
const PRIORITY: Record<string, number> = { transactional: 0, reassurance: 1, education: 2, offer: 3 };
const ITEMS = JSON.stringify([
  { sku: 'LIN-SHIRT-M', productName: 'Linen shirt', category: 'apparel', quantity: 1, price: 89 },
  { sku: 'SOCK-3', productName: 'Wool socks (3)', category: 'apparel', quantity: 2, price: 19 },
]);

export interface SeedCounts {
  orders: number;
  customers: number;
  touchPointRows: number;
  planEntries: number;
  events: number;
  tasks: number;
  concerns: number;
}

/** Writes about `orders` orders (whole customers) into `sink`, in chunks of `chunk` rows. */
export async function seedMeasuring(
  orders: number,
  now: Millis,
  sink: Sink,
  chunk = 20_000,
): Promise<SeedCounts> {
  const buffers: Record<SeedTable, Cell[][]> = {
    orders: [],
    enrollments: [],
    touch_points: [],
    tasks: [],
    events: [],
    concerns: [],
  };
  const counts: SeedCounts = {
    orders: 0,
    customers: 0,
    touchPointRows: 0,
    planEntries: 0,
    events: 0,
    tasks: 0,
    concerns: 0,
  };
  const put = async (table: SeedTable, row: Cell[]): Promise<void> => {
    const buffer = buffers[table];
    buffer.push(row);
    if (buffer.length >= chunk) {
      buffers[table] = [];
      await sink(table, buffer);
    }
  };
  let i = 0;
  for (let c = 0; i < orders; c++) {
    counts.customers++;
    const customerId = `cust-${c}`;
    const holdout = unit(c, 1) < 0.1;
    const segment = unit(c, 2) < 0.1 ? 'b2b' : 'b2c';
    const many = 1 + (unit(c, 3) < 0.25 ? 1 : 0) + (unit(c, 4) < 0.05 ? 1 : 0);
    let placedAt = now - Math.floor(unit(c, 5) * 400 * DAY);
    for (let sequence = 1; sequence <= many && i < orders; sequence++) {
      if (sequence > 1) {
        placedAt += Math.floor((5 + unit(i, 6) * 245) * DAY);
        if (placedAt > now) break;
      }
      await order(i, customerId, sequence, placedAt, holdout, segment);
      i++;
    }
  }
  for (const table of Object.keys(buffers) as SeedTable[]) {
    if (buffers[table].length > 0) await sink(table, buffers[table]);
  }
  return counts;

  async function order(
    i: number,
    customerId: string,
    sequence: number,
    placedAt: Millis,
    holdout: boolean,
    segment: string,
  ): Promise<void> {
    counts.orders++;
    const orderId = `ord-${i}`;
    const cancelled = unit(i, 10) < 0.03 ? placedAt + 6 * HOUR : null;
    const delivered = cancelled === null && placedAt + 4 * DAY <= now ? placedAt + 4 * DAY : null;
    const returnedAt = delivered !== null && unit(i, 11) < 0.05 ? delivered + 10 * DAY : null;
    const returned = returnedAt !== null && returnedAt <= now ? returnedAt : null;
    const version = placedAt < now - 120 * DAY ? 2 : 3;
    const moments: Record<string, number> = { placed: placedAt };
    if (delivered !== null) moments.delivered = delivered;
    if (returned !== null) moments.returned = returned;
    if (cancelled !== null) moments.cancelled = cancelled;
    const embedded = JSON.stringify([
      ['shop:' + orderId + ':placed', 'order.placed', placedAt, {}],
      ...(delivered === null
        ? []
        : [['shop:' + orderId + ':delivered', 'shipment.delivered', delivered, {}]]),
    ]);
    await put('orders', [
      orderId,
      customerId,
      placedAt,
      i % 3 === 0 ? 'USD' : 'EUR',
      40 + (i % 900),
      segment,
      ITEMS,
      '[]',
      JSON.stringify(moments),
      '{}',
      embedded,
      Math.max(placedAt, returned ?? 0),
      `#${100_000 + i}`,
      sequence,
    ]);

    const ended = cancelled ?? returned;
    const plan: unknown[][] = [];
    let next: { due: number; priority: number; key: string } | null = null;
    const large = unit(i, 12) < 0.1;
    for (const [k, s] of STEPS.entries()) {
      if (s.step === 'thank-you-letter' && !large) continue;
      const due = placedAt + s.afterDays * DAY + 9 * HOUR;
      const id = `reassure:${orderId}:${s.step}`;
      if (ended !== null && due > ended) {
        plan.push([
          s.step,
          s.channel,
          s.purpose,
          due,
          placedAt,
          'c',
          cancelled !== null ? 'program_ended' : 'exit_moment',
          null,
          ended,
        ]);
        continue;
      }
      if (due > now) {
        plan.push([s.step, s.channel, s.purpose, due, placedAt, 's']);
        const priority = PRIORITY[s.purpose]!;
        if (next === null || due < next.due) next = { due, priority, key: id };
        continue;
      }
      plan.push([s.step, s.channel, s.purpose, due, placedAt, 'q']);
      const r = unit(i, 20 + k);
      let status = 'sent';
      let reason: string | null = null;
      if (holdout && s.purpose !== 'transactional') [status, reason] = ['skipped', 'holdout'];
      else if (s.step === 'review-ask' && r < 0.5) [status, reason] = ['skipped', 'condition_not_met'];
      else if (s.survey !== undefined && r < 0.08) [status, reason] = ['skipped', 'survey_throttled'];
      else if (r < 0.06) [status, reason] = ['skipped', 'frequency_cap'];
      else if (r < 0.07) [status, reason] = ['failed', 'send_failed'];
      else if (due > now - DAY && r > 0.9) status = 'scheduled';
      const outcomeAt = status === 'scheduled' ? null : due + Math.floor(unit(i, 40 + k) * 3 * HOUR);
      counts.touchPointRows++;
      await put('touch_points', [
        id,
        orderId,
        'reassure',
        s.step,
        customerId,
        version,
        s.channel,
        s.purpose,
        PRIORITY[s.purpose]!,
        holdout ? 1 : 0,
        due,
        status,
        status === 'scheduled' ? 0 : 1,
        reason,
        outcomeAt,
        placedAt,
      ]);
      if (status === 'sent' && s.channel === 'task:letter') {
        const done = unit(i, 13) < 0.7;
        counts.tasks++;
        await put('tasks', [
          `task:${id}`,
          id,
          customerId,
          orderId,
          'letter',
          'Write a welcome note',
          'Thank them by hand.',
          due,
          done ? 'done' : 'open',
          done ? 'done' : null,
          outcomeAt,
          done ? outcomeAt! + Math.floor((1 + unit(i, 14) * 47) * HOUR) : null,
        ]);
      }
      if (
        status === 'sent' &&
        s.survey !== undefined &&
        unit(i, 15 + k) < (s.survey === 'csat' ? 0.15 : 0.1)
      ) {
        const score = s.survey === 'csat' ? 1 + Math.floor(unit(i, 16) * 5) : Math.floor(unit(i, 17) * 11);
        const at = outcomeAt! + 5 * HOUR;
        counts.events++;
        await put('events', [
          `survey:${id}:${at}`,
          customerId,
          orderId,
          'survey.answered',
          at,
          JSON.stringify({ survey: s.survey, score, comment: null, touchPointId: id, source: 'page' }),
          at,
          at + 1000,
        ]);
      }
      if (status === 'sent' && s.purpose !== 'transactional' && unit(i, 30 + k) < 0.002) {
        counts.events++;
        await put('events', [
          `unsubscribe:${id}`,
          customerId,
          null,
          'customer.unsubscribed',
          outcomeAt! + HOUR,
          JSON.stringify({ source: 'one-click', touchPointId: id }),
          outcomeAt! + HOUR,
          outcomeAt! + HOUR + 1000,
        ]);
      }
    }
    counts.planEntries += plan.length;
    await put('enrollments', [
      orderId,
      'reassure',
      customerId,
      version,
      holdout ? 1 : 0,
      ended === null ? 'active' : 'ended',
      cancelled !== null ? 'cancelled' : returned !== null ? 'returned' : null,
      placedAt,
      JSON.stringify(plan),
      next?.due ?? null,
      next?.priority ?? null,
      next?.key ?? null,
    ]);
    if (delivered !== null) {
      counts.events++;
      await put('events', [
        `carrier:${orderId}:delivered`,
        customerId,
        orderId,
        'shipment.delivered',
        delivered,
        JSON.stringify({ carrier: 'DHL', trackingNumber: `JD0146000${i}`, status: 'delivered' }),
        delivered,
        null,
      ]);
    }
    if (unit(i, 50) < 0.01 && placedAt + 20 * DAY <= now) {
      const at = placedAt + 20 * DAY;
      counts.events++;
      await put('events', [
        `api:${orderId}:nps`,
        customerId,
        null,
        'survey.answered',
        at,
        JSON.stringify({ survey: 'nps', score: Math.floor(unit(i, 51) * 11), comment: null, source: 'api' }),
        at,
        at + 1000,
      ]);
    }
    if (unit(i, 60) < 0.03 && placedAt + 6 * DAY <= now) {
      const opened = placedAt + 6 * DAY;
      const resolved = unit(i, 61) < 0.8 ? opened + Math.floor((2 + unit(i, 62) * 70) * HOUR) : null;
      const level = unit(i, 63) < 0.2 ? (unit(i, 64) < 0.25 ? 2 : 1) : 0;
      const escalations = level === 0 ? '[]' : JSON.stringify([{ level: 1, at: opened + 4 * HOUR }]);
      counts.concerns++;
      await put('concerns', [
        `concern:${orderId}`,
        customerId,
        orderId,
        'survey',
        'high',
        'CSAT 1: arrived broken',
        resolved === null ? 'open' : 'resolved',
        level,
        level === 0 ? 'rep' : 'manager',
        opened,
        resolved,
        escalations,
        `survey:${orderId}`,
      ]);
    }
  }
}

// ---- The SQLite benchmark --------------------------------------------------------------------
// Seeds a fresh file in a child process (so the timed process's peak memory is its own), then
// times `store.measuring.cells()` to its last row, RUNS times, and prints JSON.
//   AFTERCARE_BENCH_MEASURE_ORDERS=1000000 AFTERCARE_BENCH_MEASURE_RUNS=5 node --import tsx bench/sqlite/measure.ts

/** What the timed part reports, shared with the PostgreSQL benchmark. */
export interface MeasureTiming {
  runsMs: number[];
  medianMs: number;
  /** CPU time of this process per run (the database's own work too on SQLite, not on PostgreSQL). */
  cpuMs: number[];
  cells: { steps: number; answers: number; outcomes: number; pairs: number };
  enrollmentsCounted: number;
}

export async function timeCells(
  cells: () => Promise<{
    steps: unknown[];
    answers: unknown[];
    outcomes: { enrollments: number }[];
    pairs: unknown[];
  }>,
  runs: number,
): Promise<MeasureTiming> {
  const runsMs: number[] = [];
  const cpuMs: number[] = [];
  let last: Awaited<ReturnType<typeof cells>> | null = null;
  for (let r = 0; r < runs; r++) {
    const began = performance.now();
    const cpu = process.cpuUsage();
    last = await cells();
    runsMs.push(Math.round(performance.now() - began));
    const used = process.cpuUsage(cpu);
    cpuMs.push(Math.round((used.user + used.system) / 1000));
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return {
    runsMs,
    cpuMs,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    cells: {
      steps: last!.steps.length,
      answers: last!.answers.length,
      outcomes: last!.outcomes.length,
      pairs: last!.pairs.length,
    },
    enrollmentsCounted: last!.outcomes.reduce((n, o) => n + o.enrollments, 0),
  };
}

async function seedFile(path: string, orders: number, now: Millis): Promise<SeedCounts> {
  const store = await openSqliteStore(path);
  const db = store.database;
  const statements = new Map<SeedTable, Statement>();
  const insert = (table: SeedTable): Statement => {
    let statement = statements.get(table);
    if (statement === undefined) {
      const columns = COLUMNS[table];
      statement = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      statements.set(table, statement);
    }
    return statement;
  };
  const write = db.transaction((table: SeedTable, rows: Cell[][]) => {
    const statement = insert(table);
    for (const row of rows) statement.run(row);
  });
  try {
    const counts = await seedMeasuring(orders, now, (table, rows) => write(table, rows));
    db.pragma('optimize');
    return counts;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const orders = envInt('AFTERCARE_BENCH_MEASURE_ORDERS', 1_000_000);
  const runs = envInt('AFTERCARE_BENCH_MEASURE_RUNS', 5);
  const now = Number(process.env.AFTERCARE_BENCH_MEASURE_NOW ?? today() + 12 * HOUR);
  const path = process.env.AFTERCARE_BENCH_MEASURE_FILE;
  if (process.env.AFTERCARE_BENCH_MEASURE_PHASE === 'seed' && path !== undefined) {
    const began = performance.now();
    const counts = await seedFile(path, orders, now);
    console.log(
      JSON.stringify({ ...counts, seedSeconds: Math.round((performance.now() - began) / 100) / 10 }),
    );
    return;
  }
  // A file seeded before (AFTERCARE_BENCH_MEASURE_SEEDED, seeded with the same NOW) is used as it
  // is and kept: seeding 1,000,000 orders takes minutes.
  const reuse = process.env.AFTERCARE_BENCH_MEASURE_SEEDED;
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-measure-'));
  const file = reuse ?? join(dir, 'measure.db');
  try {
    const seeded =
      reuse !== undefined
        ? null
        : spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
            env: {
              ...process.env,
              AFTERCARE_BENCH_MEASURE_PHASE: 'seed',
              AFTERCARE_BENCH_MEASURE_FILE: file,
              AFTERCARE_BENCH_MEASURE_NOW: String(now),
            },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
            maxBuffer: 1 << 20,
          });
    if (seeded !== null && seeded.status !== 0) throw new Error(`seeding failed (exit ${seeded.status})`);
    const seed =
      seeded === null
        ? { reused: file }
        : (JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as SeedCounts);
    const opened = performance.now();
    // Opening applies pending migrations: on a file seeded before 0008, that marks every day.
    const store = await openSqliteStore(file);
    const openSeconds = Math.round((performance.now() - opened) / 100) / 10;
    try {
      const catchUp = await timeCatchUp(store);
      const timing = await timeCells(() => store.measuring.cells({ asOf: now }), runs);
      // The whole report on the same store (cells again, assembly, statistics, gaps, JSON).
      const report = await timeReport(store, now, runs);
      const mark = store.database.prepare('INSERT OR IGNORE INTO measure_dirty (day) VALUES (?)');
      const markDays = (days: number[]): Promise<void> => {
        for (const day of days) mark.run(day);
        return Promise.resolve();
      };
      const behind = await timeBehind(store, now, BEHIND_DAYS, runs, markDays);
      const marked = store.database.prepare('SELECT COUNT(*) AS n FROM measure_dirty').pluck();
      const busy = await timeBusy(
        store,
        now,
        { mark: markDays, marked: () => Promise.resolve(Number(marked.get())) },
        BUSY,
      );
      console.log(
        JSON.stringify({
          store: 'sqlite (file)',
          seed,
          openSeconds,
          catchUp,
          behind,
          busy,
          fileMb: Math.round(statSync(file).size / 2 ** 20),
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
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
