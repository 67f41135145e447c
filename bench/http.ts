// HTTP ingest: autocannon against the real app on 127.0.0.1 sending signed Shopify orders/create
// webhooks (distinct orders, bodies signed beforehand), each acknowledged once durably in the
// inbox and then applied with its plan on a SQLite file by the inbox drain; then the same load
// against a Fastify hello-world route, for the ratio. Server and load generator run in separate
// processes. Rates are responses divided by the time from the first request sent to the last
// response received (not autocannon's per-second samples, whose last tick rounds the run up to
// a whole second, nor its start-up); latencies are every response's own. After the webhook run
// the bench waits until the drain has applied everything (it watches /metrics) and reports that
// too, so the rate of acknowledgements is never mistaken for the rate of intake.
//   AFTERCARE_BENCH_HTTP_REQUESTS=20000 AFTERCARE_BENCH_HTTP_CONNECTIONS=10 node --import tsx bench/http.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { signShopify } from '../src/integrations/shopify/signature.js';
import { openSqliteStore } from '../src/store/sqlite/store.js';
import { envInt, isMain } from './common.js';

export interface HttpBenchOptions {
  /** Distinct signed orders sent in the measured run. */
  requests?: number;
  connections?: number;
  /** Orders sent first to warm up the JIT and SQLite's cache (not measured). */
  warmup?: number;
}

const SECRET = 'shpss_bench_0123456789abcdef';

interface Load {
  /** Responses / seconds from the first request sent to the last response received. */
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** What autocannon itself reports (rounded per-second samples, start-up included), for comparison. */
  autocannonRequestsPerSecond: number;
}

/** `count` orders/create bodies, each a distinct order (and customer), signed. */
function signedOrders(count: number, offset: number): { body: Buffer; headers: Record<string, string> }[] {
  const fixture = readFileSync(
    new URL('../test/fixtures/webhooks/shopify-orders-create.json', import.meta.url),
    'utf8',
  );
  const order = JSON.parse(fixture) as Record<string, unknown> & { customer: Record<string, unknown> };
  const placed = new Date().toISOString();
  const out: { body: Buffer; headers: Record<string, string> }[] = [];
  for (let n = offset; n < offset + count; n += 1) {
    const email = `buyer${n}@example.com`;
    const body = Buffer.from(
      JSON.stringify({
        ...order,
        id: 7_000_000_000_000 + n,
        name: `#${100_000 + n}`,
        order_number: 100_000 + n,
        email,
        contact_email: email,
        created_at: placed,
        customer: { ...order.customer, id: 9_000_000_000_000 + n, email },
      }),
    );
    out.push({
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-webhook-id': `bench-${n}`,
        'x-shopify-hmac-sha256': signShopify(body, SECRET),
      },
    });
  }
  return out;
}

interface Server {
  child: ChildProcess;
  address: string;
  /** The server process's peak memory, which it prints when it stops. */
  peakRssMb: number | null;
}

async function startServer(mode: 'webhooks' | 'hello', env: Record<string, string>): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'httpServer.ts'), mode],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  return new Promise<Server>((resolve, reject) => {
    let server: Server | null = null;
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as { address?: string; peakRssMb?: number };
      if (message.address !== undefined && server === null) {
        server = { child, address: message.address, peakRssMb: null };
        resolve(server);
      }
      if (message.peakRssMb !== undefined && server !== null) server.peakRssMb = message.peakRssMb;
    });
    child.once('exit', () => {
      if (server === null) reject(new Error(`the ${mode} server exited before listening`));
    });
  });
}

async function stopServer(server: Server): Promise<void> {
  const { child } = server;
  // 'close': exited and its stdout read to the end (the peak memory line comes last).
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** The q-quantile of sorted values (nearest rank), rounded to 0.1 ms. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return Math.round(value * 10) / 10;
}

/**
 * `onLastResponse` is called the moment the last of `options.amount` responses arrives: autocannon
 * itself reports the end of a run only on its next one-second tick.
 */
function load(options: autocannon.Options, onLastResponse?: () => void): Promise<Load> {
  const latencies: number[] = [];
  let firstSent = Infinity;
  let lastReceived = -Infinity;
  let ok = 0;
  return new Promise<Load>((resolve, reject) => {
    const instance = autocannon({ ...options, timeout: 10 }, (error: unknown, result: autocannon.Result) => {
      if (error)
        return reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
      const seconds = (lastReceived - firstSent) / 1000;
      latencies.sort((a, b) => a - b);
      resolve({
        requestsPerSecond: seconds > 0 ? Math.round(latencies.length / seconds) : 0,
        latencyP50Ms: quantile(latencies, 0.5),
        latencyP99Ms: quantile(latencies, 0.99),
        latencyMaxMs: quantile(latencies, 1),
        requests: latencies.length,
        ok,
        non2xx: latencies.length - ok,
        errors: result.errors,
        timeouts: result.timeouts,
        seconds: Math.round(seconds * 1000) / 1000,
        autocannonRequestsPerSecond: Math.round(result.requests.total / result.duration),
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const now = performance.now();
      // responseTime is from this request's write to its response: when the first one was sent.
      firstSent = Math.min(firstSent, now - responseTime);
      lastReceived = now;
      latencies.push(responseTime);
      if (statusCode >= 200 && statusCode < 300) ok += 1;
      if (latencies.length === options.amount) onLastResponse?.();
    });
  });
}

/** Entries waiting in the server's inbox, from its /metrics. */
async function inboxDepth(address: string): Promise<number> {
  const text = await (await fetch(`${address}/metrics`)).text();
  const match = /^aftercare_inbox_entries (\S+)$/m.exec(text);
  if (!match) throw new Error('/metrics has no aftercare_inbox_entries');
  return Number(match[1]);
}

/** Waits until the drain has applied everything; resolves to when that was (performance.now()). */
async function drained(address: string, timeoutMs = 600_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const depth = await inboxDepth(address);
    if (depth === 0) return performance.now();
    if (performance.now() > deadline) throw new Error(`the inbox still holds ${depth} entries`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends every request of `list` once, spread over the connections. */
function sendAll(
  url: string,
  list: { body: Buffer; headers: Record<string, string> }[],
  connections: number,
  onLastResponse?: () => void,
): Promise<Load> {
  let next = 0;
  return load(
    {
      url,
      connections,
      amount: list.length,
      requests: [
        {
          method: 'POST',
          path: '/webhooks/shopify',
          setupRequest: (request) => {
            const item = list[next++ % list.length]!;
            return { ...request, body: item.body, headers: item.headers };
          },
        },
      ],
    },
    onLastResponse,
  );
}

export async function benchHttp(options: HttpBenchOptions = {}): Promise<Record<string, unknown>> {
  const requests = options.requests ?? envInt('AFTERCARE_BENCH_HTTP_REQUESTS', 20_000);
  const connections = options.connections ?? envInt('AFTERCARE_BENCH_HTTP_CONNECTIONS', 10);
  const warmup = options.warmup ?? envInt('AFTERCARE_BENCH_HTTP_WARMUP', 2_000);
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-http-'));
  const db = join(dir, 'aftercare.db');
  try {
    const hello = await startServer('hello', {});
    let helloLoad: Load;
    try {
      await load({ url: `${hello.address}/hello`, connections, amount: Math.min(warmup, 5_000) });
      helloLoad = await load({ url: `${hello.address}/hello`, connections, amount: requests });
    } finally {
      await stopServer(hello);
    }

    const warm = signedOrders(warmup, 0);
    const measured = signedOrders(requests, warmup);
    const server = await startServer('webhooks', {
      AFTERCARE_DB: db,
      AFTERCARE_DATA_DIR: dir,
      AFTERCARE_LOG_LEVEL: 'silent',
      AFTERCARE_HOLDOUT: '0.1',
      SHOPIFY_WEBHOOK_SECRET: SECRET,
    });
    let webhookLoad: Load;
    let appliedSeconds: number;
    try {
      if (warm.length > 0) await sendAll(server.address, warm, connections);
      // The measured run starts with an empty inbox: no warm-up intake is left to compete with it.
      await drained(server.address);
      const began = performance.now();
      // Watched from the last response on (not from when autocannon reports, up to a second later).
      let emptied: Promise<number> | null = null;
      webhookLoad = await sendAll(server.address, measured, connections, () => {
        emptied = drained(server.address);
        emptied.catch(() => undefined);
      });
      appliedSeconds = ((await (emptied ?? drained(server.address))) - began) / 1000;
    } finally {
      await stopServer(server);
    }

    const store = await openSqliteStore(db);
    const counts = await store.reads.counts();
    await store.close();
    const scheduled = Object.values(counts.touchPoints).reduce((sum, n) => sum + n, 0);
    const ratio = Math.round((webhookLoad.requestsPerSecond / helloLoad.requestsPerSecond) * 1000) / 1000;
    const peakMb = server.peakRssMb ?? 0;
    return {
      cpus: cpus().length,
      connections,
      inbox: {
        batch: process.env.AFTERCARE_INBOX_BATCH ?? 'default',
        wait: process.env.AFTERCARE_INBOX_WAIT ?? 'default',
      },
      webhook: { ...webhookLoad, body: 'Shopify orders/create, signed, ~6 KB' },
      helloWorld: helloLoad,
      ratio,
      // Until the drain has applied the last acknowledged order (the bench's clock, polling /metrics
      // every 20 ms): the rate at which orders became plans, not only acknowledgements.
      intake: {
        secondsToEmptyInbox: Math.round(appliedSeconds * 100) / 100,
        ordersPerSecond: Math.round(requests / appliedSeconds),
      },
      persisted: {
        orders: counts.orders,
        customers: counts.customers,
        events: counts.events,
        touchPoints: scheduled,
      },
      expectedOrders: warmup + requests,
      // Of the Aftercare server process (the load generator runs apart); the hello-world server's for comparison.
      peakRssMb: peakMb,
      helloWorldPeakRssMb: hello.peakRssMb,
      goals: { ratioToHelloWorld: 0.4, latencyP99Ms: 50, peakRssMb: 500 },
      met: {
        ratioToHelloWorld: ratio >= 0.4,
        latencyP99Ms: webhookLoad.latencyP99Ms < 50,
        peakRssMb: peakMb > 0 && peakMb < 500,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchHttp(), null, 2));
