// Runs the PostgreSQL benchmarks and prints one JSON object. Sizes come from the environment:
// AFTERCARE_BENCH_DISPATCH_JOBS (50,000 due touch points / no-op jobs), _DISPATCH_WORKERS (2),
// AFTERCARE_BENCH_PG_CONCURRENCY (16), AFTERCARE_BENCH_PGBOSS (1; 0 leaves pg-boss out),
// AFTERCARE_BENCH_LATENCY_RATE (500/s) and _SECONDS (20), AFTERCARE_BENCH_INGEST_ORDERS (1,000,000),
// _INGEST_BATCH (1,000) and _INGEST_IN_FLIGHT (2); a size of 0 skips that benchmark.
//   node --import tsx bench/postgres/run.ts
import { PG_URL, envInt } from './common.js';
import { benchDispatch, benchLatency } from './dispatch.js';
import { benchIngest } from './ingest.js';

const GOAL_PEAK_RSS_MB = 500;

export async function runPostgresBenchmarks(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { server: PG_URL.replace(/\/\/[^@]*@/, '//') };
  const peaks: number[] = [];
  if (envInt('AFTERCARE_BENCH_DISPATCH_JOBS', 50_000) > 0) {
    const dispatch = await benchDispatch();
    results.dispatch = dispatch;
    peaks.push(dispatch.aftercare.workersPeakRssMb);
  }
  if (envInt('AFTERCARE_BENCH_LATENCY_SECONDS', 20) > 0) {
    const latency = await benchLatency();
    results.latency = latency;
    peaks.push(latency.workersPeakRssMb);
  }
  if (envInt('AFTERCARE_BENCH_INGEST_ORDERS', 1_000_000) > 0) {
    const ingest = await benchIngest();
    results.ingest = ingest;
    peaks.push(ingest.peakRssMb);
  }
  // Aftercare's processes only: the ingesting process before its raw copy, and the workers.
  const peakRssMb = Math.max(0, ...peaks);
  results.peakRssMb = peakRssMb;
  results.goals = { peakRssMb: GOAL_PEAK_RSS_MB };
  results.met = { peakRssMb: peakRssMb < GOAL_PEAK_RSS_MB };
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runPostgresBenchmarks(), null, 2));
}
