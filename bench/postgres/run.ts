// Runs the PostgreSQL benchmarks and prints one JSON object. Sizes come from the environment:
// AFTERCARE_BENCH_INGEST_ORDERS (1,000,000), AFTERCARE_BENCH_DISPATCH_JOBS (20,000),
// AFTERCARE_BENCH_LATENCY_RATE (500/s) and _SECONDS (20); a size of 0 skips that benchmark.
//   node --import tsx bench/postgres/run.ts
import { envInt } from './common.js';
import { benchDispatch, benchLatency } from './dispatch.js';
import { benchIngest } from './ingest.js';

export async function runPostgresBenchmarks(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  if (envInt('AFTERCARE_BENCH_DISPATCH_JOBS', 20_000) > 0) results.dispatch = await benchDispatch();
  if (envInt('AFTERCARE_BENCH_LATENCY_SECONDS', 20) > 0) results.latency = await benchLatency();
  if (envInt('AFTERCARE_BENCH_INGEST_ORDERS', 1_000_000) > 0) results.ingest = await benchIngest();
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runPostgresBenchmarks(), null, 2));
}
