// HTTP ingest: autocannon against the real app on 127.0.0.1 sending signed Shopify orders/create
// webhooks (distinct orders, bodies signed beforehand), each persisted with its plan on a SQLite
// file; then the same load against a Fastify hello-world route, for the ratio. Server and load
// generator run in separate processes.
//   AFTERCARE_BENCH_HTTP_REQUESTS=20000 AFTERCARE_BENCH_HTTP_CONNECTIONS=10 node --import tsx bench/http.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
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

async function startServer(
  mode: 'webhooks' | 'hello',
  env: Record<string, string>,
): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'httpServer.ts'), mode],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (line.startsWith('{')) {
      lines.close();
      return { child, address: (JSON.parse(line) as { address: string }).address };
    }
  }
  throw new Error(`the ${mode} server exited before listening`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function load(options: autocannon.Options): Promise<Load> {
  const result = await autocannon({ ...options, timeout: 10 });
  return {
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: Math.round(result.duration * 100) / 100,
  };
}

/** Sends every request of `list` once, spread over the connections. */
function sendAll(
  url: string,
  list: { body: Buffer; headers: Record<string, string> }[],
  connections: number,
): Promise<Load> {
  let next = 0;
  return load({
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
  });
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
      await stopServer(hello.child);
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
    try {
      if (warm.length > 0) await sendAll(server.address, warm, connections);
      webhookLoad = await sendAll(server.address, measured, connections);
    } finally {
      await stopServer(server.child);
    }

    const store = await openSqliteStore(db);
    const counts = await store.reads.counts();
    await store.close();
    const scheduled = Object.values(counts.touchPoints).reduce((sum, n) => sum + n, 0);
    return {
      cpus: cpus().length,
      connections,
      webhook: { ...webhookLoad, body: 'Shopify orders/create, signed, ~6 KB' },
      helloWorld: helloLoad,
      ratio: Math.round((webhookLoad.requestsPerSecond / helloLoad.requestsPerSecond) * 1000) / 1000,
      persisted: {
        orders: counts.orders,
        customers: counts.customers,
        events: counts.events,
        touchPoints: scheduled,
      },
      expectedOrders: warmup + requests,
      goal: { requestsPerSecond: 5_000, latencyP99Ms: 50 },
      met: webhookLoad.requestsPerSecond >= 5_000 && webhookLoad.latencyP99Ms < 50,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchHttp(), null, 2));
