// The whole report over a measuring benchmark's store, timed the way `aftercare report --format
// json` runs it: the cells, the playbook versions' steps, the assembly and statistics, the gap
// analysis over the built-in catalogue, and the JSON. Shared by bench/sqlite/measure.ts and
// bench/postgres/measure.ts, which seed the history.
import { performance } from 'node:perf_hooks';
import { loadInteractions } from '../src/app/interactions.js';
import type { Millis } from '../src/core/domain.js';
import { assembleReport } from '../src/core/measuring/report.js';
import { gapCommands } from '../src/engine/commands/gaps.js';
import { reportCommands } from '../src/engine/commands/report.js';
import { loadPlaybooks } from '../src/app/playbooks.js';
import { VirtualClock } from '../src/engine/clock.js';
import type { Store } from '../src/store/store.js';

export interface ReportTiming {
  /** Wall time of each full report, and their median; the goal is 3 s at 1,000,000 orders. */
  reportRunsMs: number[];
  reportMedianMs: number;
  reportJsonKb: number;
  /** The pure part alone (core/measuring/report.ts: sums, rates, statistics) over cells read once. */
  assemblyMs: number;
  lift: { metric: string; treatment: number; holdout: number }[];
}

export async function timeReport(store: Store, now: Millis, runs: number): Promise<ReportTiming> {
  const clock = new VirtualClock(now);
  const { playbooks } = await loadPlaybooks(['reassure']);
  const catalogue = loadInteractions({ playbooks: ['reassure'], interactionsFile: null });
  const gaps = gapCommands({
    gaps: store.gaps,
    measuring: store.measuring,
    playbooks: store.playbooks,
    clock,
    catalogue: () => catalogue,
  });
  const reports = reportCommands({
    measuring: store.measuring,
    versions: store.playbooks,
    clock,
    gaps,
    playbooks,
  });
  const reportRunsMs: number[] = [];
  let json = '';
  let lift: ReportTiming['lift'] = [];
  for (let r = 0; r < runs; r++) {
    const began = performance.now();
    const report = await reports.summary({});
    json = JSON.stringify(report);
    reportRunsMs.push(Math.round(performance.now() - began));
    lift = report.lift.map((l) => ({ metric: l.metric, treatment: l.treatment.n, holdout: l.holdout.n }));
  }
  const cells = await store.measuring.cells({ asOf: now });
  const began = performance.now();
  assembleReport({ cells, definitions: [], query: { asOf: now }, generatedAt: now });
  const assemblyMs = Math.round(performance.now() - began);
  const sorted = [...reportRunsMs].sort((a, b) => a - b);
  return {
    reportRunsMs,
    reportMedianMs: sorted[Math.floor(sorted.length / 2)]!,
    reportJsonKb: Math.round(json.length / 1024),
    assemblyMs,
    lift,
  };
}
