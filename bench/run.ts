// `npm run bench`: every benchmark, each in its own process (so peak memory is its own), printed
// as one JSON object. Choose groups with AFTERCARE_BENCH_ONLY=ingest,dispatch,simulation,postgres,http
// and shrink sizes with the AFTERCARE_BENCH_* variables each file names. Results go into
// docs/benchmarks.md by hand, with the command that produced them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { runChild } from './common.js';

const GROUPS: Record<string, string> = {
  ingest: 'sqlite/ingest.ts',
  dispatch: 'sqlite/dispatch.ts',
  simulation: 'simulation.ts',
  postgres: 'postgres/run.ts',
  http: 'http.ts',
};

const only = (process.env.AFTERCARE_BENCH_ONLY ?? Object.keys(GROUPS).join(','))
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

const results: Record<string, unknown> = {
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  startedAt: new Date().toISOString(),
};
for (const name of only) {
  const file = GROUPS[name];
  if (!file) throw new Error(`unknown benchmark group "${name}" (known: ${Object.keys(GROUPS).join(', ')})`);
  if (!existsSync(join(import.meta.dirname, file))) {
    results[name] = { skipped: `${file} is not there` };
    continue;
  }
  process.stderr.write(`bench: ${name}...\n`);
  results[name] = runChild(file);
}
console.log(JSON.stringify(results, null, 2));
