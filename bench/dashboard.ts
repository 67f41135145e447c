// The dashboard's pages with a million customers ("Pages stay fast with 1,000,000 customers"):
// for SQLite (a file) and PostgreSQL (a schema), seeds AFTERCARE_BENCH_DASHBOARD_CUSTOMERS
// customers with their orders, touch points, tasks, answers and concerns over the 400 days before
// now (bench/dashboardSeed.ts) in a child process; starts the real app on it in another
// (bench/dashboardServer.ts); signs in through the form like a browser; then times, over HTTP on
// loopback, one request after another: the overview, the inbox, customer search by e-mail prefix
// and by name (the first page, and a later page reached by following Next, keyset), and customer
// timelines (a different customer each time). Start-up, seeding, sign-in and warm-up requests are
// outside the measured time. The overview keeps its counting reads for a minute: its first
// request (cold, computing them) is reported on its own, the rest as the page is mostly served.
//   AFTERCARE_BENCH_DASHBOARD_CUSTOMERS=1000000 AFTERCARE_BENCH_DASHBOARD_REQUESTS=100 node --import tsx bench/dashboard.ts
// AFTERCARE_BENCH_DASHBOARD_STORES=sqlite,postgres chooses the stores.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Statement } from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyCell } from '../src/store/postgres/bulk.js';
import { openPostgresStore } from '../src/store/postgres/store.js';
import { openSqliteStore } from '../src/store/sqlite/store.js';
import { nameKeyOf } from '../src/core/nameKey.js';
import { FormClient } from '../test/http/formClient.js';
import { envInt, isMain, peakRssMb, today } from './common.js';
import {
  BENCH_OWNER,
  CUSTOMER_COLUMNS,
  customerEmail,
  customerName,
  seedDashboard,
  type DashboardSeed,
} from './dashboardSeed.js';
import { COLUMNS, type Cell, type SeedTable } from './sqlite/measure.js';
import { PG_URL, benchSchema, dropSchema } from './postgres/common.js';

const HOUR = 3_600_000;
/** Every page's goal: the 99th percentile of its requests under this. */
const GOAL_P99_MS = 500;
/** The overview's first request computes its kept counts (the measuring report among them). */
const GOAL_COLD_OVERVIEW_MS = 5000;
/** Next links followed from the first page to reach the "later" page. */
const LATER_PAGE = 10;

type SeedSink = (table: SeedTable | 'customers', rows: Cell[][]) => void | Promise<void>;

const columnsOf = (table: SeedTable | 'customers'): string[] =>
  table === 'customers' ? CUSTOMER_COLUMNS : COLUMNS[table];

// ---- Seeding (child process) -------------------------------------------------------------------

async function seedSqlite(path: string, customers: number, now: number): Promise<DashboardSeed> {
  const store = await openSqliteStore(path);
  const db = store.database;
  const statements = new Map<string, Statement>();
  const write = db.transaction((table: SeedTable | 'customers', rows: Cell[][]) => {
    let statement = statements.get(table);
    if (statement === undefined) {
      const columns = columnsOf(table);
      statement = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      statements.set(table, statement);
    }
    for (const row of rows) statement.run(row);
  });
  try {
    const sink: SeedSink = (table, rows) => write(table, rows);
    const seed = await seedDashboard(customers, now, sink);
    db.exec('ANALYZE');
    return seed;
  } finally {
    await store.close();
  }
}

async function seedPostgres(schema: string, customers: number, now: number): Promise<DashboardSeed> {
  const store = await openPostgresStore(PG_URL, { schema });
  await store.close();
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const sink: SeedSink = async (table, rows) => {
      let text = '';
      for (const row of rows) text += `${row.map(copyCell).join('\t')}\n`;
      const stream = client.query(
        copyFrom(`COPY "${schema}".${table} (${columnsOf(table).join(', ')}) FROM STDIN`),
      );
      await pipeline(Readable.from([text]), stream);
    };
    const seed = await seedDashboard(customers, now, sink);
    await client.query(
      `VACUUM ANALYZE "${schema}".customers, "${schema}".orders, "${schema}".enrollments, "${schema}".touch_points, "${schema}".events, "${schema}".tasks, "${schema}".concerns`,
    );
    return seed;
  } finally {
    await client.end();
  }
}

// ---- Timing (this process) ----------------------------------------------------------------------

/** The tests' form client, reading pages that must answer 200. */
class Browser extends FormClient {
  async page(path: string): Promise<string> {
    const response = await this.request('GET', path);
    const html = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${html.slice(0, 300)}`);
    return html;
  }
}

interface PageTiming {
  path: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  goalP99Ms: number;
  met: boolean;
  /** Rows the page showed (the last request), so an empty page is never mistaken for a fast one. */
  rows: number;
}

function quantile(sorted: number[], q: number): number {
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return Math.round(value * 10) / 10;
}

const rowsIn = (html: string): number => (html.match(/<tr>/g)?.length ?? 1) - 1;

/** Times `paths(k)` for k = 0..requests-1, one after another, after `warmup` unmeasured ones. */
async function timePage(
  browser: Browser,
  label: string,
  paths: (k: number) => string,
  requests: number,
  warmup = 3,
): Promise<PageTiming> {
  for (let k = 0; k < warmup; k++) await browser.page(paths(requests + k));
  const ms: number[] = [];
  let html = '';
  for (let k = 0; k < requests; k++) {
    const began = performance.now();
    html = await browser.page(paths(k));
    ms.push(performance.now() - began);
  }
  ms.sort((a, b) => a - b);
  const p99 = quantile(ms, 0.99);
  process.stderr.write(`bench dashboard: ${label} p50 ${quantile(ms, 0.5)} ms, p99 ${p99} ms\n`);
  return {
    path: paths(0),
    requests,
    p50Ms: quantile(ms, 0.5),
    p99Ms: p99,
    maxMs: Math.round(ms.at(-1)! * 10) / 10,
    goalP99Ms: GOAL_P99_MS,
    met: p99 < GOAL_P99_MS,
    rows: rowsIn(html),
  };
}

/** The page `LATER_PAGE` Next links on from `first` (or the last there is, on a small seed). */
async function laterPage(browser: Browser, first: string): Promise<{ path: string; page: number }> {
  let path = first;
  let n = 0;
  for (; n < LATER_PAGE; n++) {
    const html = await browser.page(path);
    const next = /href="([^"]*after=[^"]*)">Next /.exec(html)?.[1];
    if (next === undefined) break;
    path = next.replaceAll('&amp;', '&');
  }
  return { path, page: n + 1 };
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'dashboardServer.ts')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('{"address"'))
        resolve({ child, address: (JSON.parse(line) as { address: string }).address });
    });
    child.once('exit', (code) => reject(new Error(`the dashboard server exited (${code}) before listening`)));
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill('SIGTERM');
  await closed;
}

async function timePages(
  address: string,
  customers: number,
  requests: number,
): Promise<Record<string, unknown>> {
  const browser = new Browser(address);
  const signedIn = await browser.signIn(BENCH_OWNER.email, BENCH_OWNER.password);
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  const began = performance.now();
  await browser.page('/dashboard/overview');
  const coldOverviewMs = Math.round((performance.now() - began) * 10) / 10;
  // Searches people type: the start of an address, a first name (its accents not typed).
  const sample = 4242 % customers;
  const emailPrefix = customerEmail(sample).slice(0, 3);
  const namePrefix = `${nameKeyOf(customerName(sample).first, null)} `;
  const byEmail = `/dashboard/customers?${new URLSearchParams({ by: 'email', q: emailPrefix }).toString()}`;
  const byName = `/dashboard/customers?${new URLSearchParams({ by: 'name', q: namePrefix }).toString()}`;
  const emailLater = await laterPage(browser, byEmail);
  const nameLater = await laterPage(browser, byName);
  const pages = {
    overview: await timePage(browser, 'overview', () => '/dashboard/overview', requests),
    inbox: await timePage(browser, 'inbox', () => '/dashboard/inbox', requests),
    searchByEmailFirstPage: await timePage(browser, 'search by e-mail, first page', () => byEmail, requests),
    searchByEmailLaterPage: await timePage(
      browser,
      `search by e-mail, page ${emailLater.page}`,
      () => emailLater.path,
      requests,
    ),
    searchByNameFirstPage: await timePage(browser, 'search by name, first page', () => byName, requests),
    searchByNameLaterPage: await timePage(
      browser,
      `search by name, page ${nameLater.page}`,
      () => nameLater.path,
      requests,
    ),
    // A different customer each time, spread over the whole table.
    customerTimeline: await timePage(
      browser,
      'customer timeline',
      (k) => `/dashboard/customers/cust-${(k * 7919 + 13) % customers}`,
      requests,
    ),
  };
  return {
    searches: { emailPrefix, namePrefix, emailLaterPage: emailLater.page, nameLaterPage: nameLater.page },
    coldOverviewMs,
    coldOverviewGoalMs: GOAL_COLD_OVERVIEW_MS,
    coldOverviewMet: coldOverviewMs < GOAL_COLD_OVERVIEW_MS,
    pages,
    met: coldOverviewMs < GOAL_COLD_OVERVIEW_MS && Object.values(pages).every((p) => p.met),
  };
}

function seedInChild(env: Record<string, string>): DashboardSeed & { seedSeconds: number } {
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, ...env, AFTERCARE_BENCH_DASHBOARD_PHASE: 'seed' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (seeded.status !== 0) throw new Error(`seeding failed (exit ${seeded.status})`);
  return JSON.parse(seeded.stdout.trim().split('\n').at(-1)!) as DashboardSeed & { seedSeconds: number };
}

async function benchStore(
  store: 'sqlite' | 'postgres',
  customers: number,
  requests: number,
  now: number,
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-dashboard-'));
  const file = join(dir, 'dashboard.db');
  const schema = benchSchema('dashboard');
  const db = store === 'sqlite' ? file : `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  try {
    const seed = seedInChild({
      AFTERCARE_BENCH_DASHBOARD_STORE: store,
      AFTERCARE_BENCH_DASHBOARD_TARGET: store === 'sqlite' ? file : schema,
      AFTERCARE_BENCH_DASHBOARD_NOW: String(now),
    });
    process.stderr.write(`bench dashboard: ${store} seeded in ${seed.seedSeconds} s\n`);
    const server = await startServer({
      AFTERCARE_DB: db,
      AFTERCARE_DATA_DIR: dir,
      AFTERCARE_TIMEZONE: 'Europe/Berlin',
    });
    try {
      return {
        store,
        seed,
        ...(store === 'sqlite'
          ? { fileMb: Math.round(statSync(file).size / 2 ** 20) }
          : { server: PG_URL.replace(/\/\/[^@]*@/, '//') }),
        ...(await timePages(server.address, seed.customerRows, requests)),
      };
    } finally {
      await stopServer(server.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (store === 'postgres') await dropSchema(schema);
  }
}

async function main(): Promise<void> {
  const customers = envInt('AFTERCARE_BENCH_DASHBOARD_CUSTOMERS', 1_000_000);
  const requests = envInt('AFTERCARE_BENCH_DASHBOARD_REQUESTS', 100);
  const now = Number(process.env.AFTERCARE_BENCH_DASHBOARD_NOW ?? today() + 12 * HOUR);
  if (process.env.AFTERCARE_BENCH_DASHBOARD_PHASE === 'seed') {
    const target = process.env.AFTERCARE_BENCH_DASHBOARD_TARGET!;
    const began = performance.now();
    const seed =
      process.env.AFTERCARE_BENCH_DASHBOARD_STORE === 'postgres'
        ? await seedPostgres(target, customers, now)
        : await seedSqlite(target, customers, now);
    console.log(
      JSON.stringify({
        ...seed,
        seedSeconds: Math.round((performance.now() - began) / 100) / 10,
        seedPeakRssMb: peakRssMb(),
      }),
    );
    return;
  }
  const stores = (process.env.AFTERCARE_BENCH_DASHBOARD_STORES ?? 'sqlite,postgres')
    .split(',')
    .map((s) => s.trim());
  // A busy machine moves every figure: the load average when the run started and ended.
  const load = (): number[] => loadavg().map((n) => Math.round(n * 100) / 100);
  const results: Record<string, unknown> = { customers, requests, loadAverageAtStart: load() };
  for (const store of stores) {
    if (store !== 'sqlite' && store !== 'postgres')
      throw new Error(`AFTERCARE_BENCH_DASHBOARD_STORES: unknown store "${store}"`);
    results[store] = await benchStore(store, customers, requests, now);
  }
  results.loadAverageAtEnd = load();
  results.met = stores.every((s) => (results[s] as { met: boolean }).met);
  console.log(JSON.stringify(results));
}

if (isMain(import.meta.url)) await main();
