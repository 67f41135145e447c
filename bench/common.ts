// Shared pieces of the benchmarks: sizes from the environment, cached data sets, and running a
// benchmark in its own process so its peak memory is its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoOrders } from '../src/integrations/demo/generate.js';
import { writeDemoCsv } from '../src/integrations/demo/csv.js';

export const OUT_DIR = join(import.meta.dirname, 'out');

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

/** Midnight UTC of the day the benchmark runs: data is generated around it, so the work is real. */
export function today(): number {
  const now = Date.now();
  return now - (now % 86_400_000);
}

/**
 * A demo orders CSV of `orders` orders placed over the `pastDays` days before `start` (default 2),
 * generated once per day and cached. Orders this recent leave almost every touch point still to
 * come at import time: the import plans real work, not steps already too late to send.
 */
export async function ordersCsv(
  orders: number,
  options: { start: number; events: boolean; pastDays?: number },
): Promise<{ orders: string; events: string | null }> {
  mkdirSync(OUT_DIR, { recursive: true });
  const day = new Date(options.start).toISOString().slice(0, 10);
  const pastDays = options.pastDays ?? 2;
  const base = join(OUT_DIR, `orders-${orders}-${day}-p${pastDays}${options.events ? '-ev' : ''}`);
  const files = { orders: `${base}.csv`, events: options.events ? `${base}-events.csv` : null };
  if (existsSync(files.orders) && (!files.events || existsSync(files.events))) return files;
  const tmp = { orders: `${files.orders}.tmp`, events: files.events ? `${files.events}.tmp` : null };
  await writeDemoCsv(
    generateDemoOrders({ orders, seed: 'bench', start: options.start, pastDays, futureDays: 0 }),
    tmp.orders,
    tmp.events,
  );
  renameSync(tmp.orders, files.orders);
  if (tmp.events && files.events) renameSync(tmp.events, files.events);
  return files;
}

/** Runs `bench/<file>` in a child process and returns the JSON object it printed last. */
export function runChild(file: string, env: Record<string, string> = {}): Record<string, unknown> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, file)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`${file} exited with ${result.status}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines.slice(lines.findIndex((l) => l.startsWith('{'))).join('\n')) as Record<
    string,
    unknown
  >;
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

export function isMain(url: string): boolean {
  return url === `file://${process.argv[1]}`;
}
