// `npm run bench`: every benchmark, each in its own process (so peak memory is its own), printed
// as one JSON object. Choose groups with AFTERCARE_BENCH_ONLY=ingest,dispatch,listen,simulation,postgres,http,templates,coverage,measure,measure-postgres,dashboard
// and size them with the AFTERCARE_BENCH_* variables each file names. A group that fails is
// reported as such and the others still run (the exit code is then 1). Results go into
// docs/benchmarks.md by hand, with the command that produced them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { runChild } from './common.js';

const GROUPS: Record<string, string> = {
  ingest: 'sqlite/ingest.ts',
  dispatch: 'sqlite/dispatch.ts',
  listen: 'sqlite/listen.ts',
  simulation: 'simulation.ts',
  postgres: 'postgres/run.ts',
  http: 'http.ts',
  templates: 'templates.ts',
  coverage: 'measuring/coverage.ts',
  measure: 'sqlite/measure.ts',
  'measure-postgres': 'postgres/measure.ts',
  dashboard: 'dashboard.ts',
};

const only = (process.env.AFTERCARE_BENCH_ONLY ?? Object.keys(GROUPS).join(','))
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
for (const name of only) {
  if (!GROUPS[name])
    throw new Error(`unknown benchmark group "${name}" (known: ${Object.keys(GROUPS).join(', ')})`);
}

const results: Record<string, unknown> = {
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    // A busy machine moves every figure: the load average when the run started and ended.
    loadAverageAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
  },
  startedAt: new Date().toISOString(),
  sizes: Object.fromEntries(
    Object.entries(process.env)
      .filter(([key]) => key.startsWith('AFTERCARE_BENCH_'))
      .sort(([a], [b]) => a.localeCompare(b)),
  ),
};
for (const name of only) {
  const file = GROUPS[name]!;
  if (!existsSync(join(import.meta.dirname, file))) {
    results[name] = { skipped: `${file} is not there` };
    continue;
  }
  process.stderr.write(`bench: ${name}...\n`);
  const began = Date.now();
  try {
    results[name] = { ...runChild(file), wallSeconds: Math.round((Date.now() - began) / 100) / 10 };
  } catch (error) {
    results[name] = { failed: error instanceof Error ? error.message : String(error) };
    process.exitCode = 1;
  }
}
(results.machine as Record<string, unknown>).loadAverageAtEnd = loadavg().map(
  (n) => Math.round(n * 100) / 100,
);
results.finishedAt = new Date().toISOString();
console.log(JSON.stringify(results, null, 2));
