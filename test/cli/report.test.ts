// `aftercare report` end to end: demo orders (several currencies, returns, cancellations, NPS
// answers, a 10% holdout) run through the production engine into a real SQLite file, then the
// real CLI reads it: JSON with the five lift metrics, text with the verdicts first, HTML to a file;
// bad flags are named, and a mistyped AFTERCARE_DB creates nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIFT_METRICS } from '../../src/core/measuring/lift.js';
import { simulateHistory, type History } from '../support/history.js';
import { runCli, type CliResult } from './run.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);

let dir: string;
let history: History;
const report = (...args: string[]): Promise<CliResult> =>
  runCli(['report', ...args], { cwd: dir, env: { AFTERCARE_DB: history.db } });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-report-'));
  history = await simulateHistory(dir, { orders: 240, seed: 'report', start: START, pastDays: 120 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aftercare report', () => {
  test('demo data through the real engine: --format json is one object with the five lift metrics', async () => {
    const result = await report('--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 1);
    const json = JSON.parse(result.stdout) as {
      lift: {
        metric: string;
        treatment: { n: number };
        holdout: { n: number };
        verdict: string;
        ci95: unknown;
        mde: unknown;
        difference: unknown;
      }[];
      population: { treatment: { firstOrders: number }; holdout: { firstOrders: number } };
      metrics: {
        overall: { touchPoints: { sent: number } };
        playbooks: { playbook: string; versions: { steps: { step: string }[] }[] }[];
        cohorts: { week: string }[];
      };
      versions: unknown[];
      gaps: { interactions: unknown[] };
      period: { since: null; until: null; asOf: string };
    };
    assert.deepEqual(
      json.lift.map((l) => l.metric),
      [...LIFT_METRICS],
    );
    for (const lift of json.lift) {
      assert.ok(lift.verdict.length > 0, `${lift.metric} has a verdict`);
      for (const field of ['treatment', 'holdout', 'difference', 'ci95', 'mde'])
        assert.ok(field in lift, `${lift.metric}.${field}`);
    }
    const { treatment, holdout } = json.population;
    const share = holdout.firstOrders / (treatment.firstOrders + holdout.firstOrders);
    assert.ok(share > 0.03 && share < 0.2, `holdout share ${share}`);
    assert.equal(json.lift[0]!.treatment.n, treatment.firstOrders);
    assert.equal(json.lift[0]!.holdout.n, holdout.firstOrders);
    assert.ok(json.metrics.overall.touchPoints.sent > 0);
    assert.equal(json.metrics.playbooks[0]!.playbook, 'reassure');
    assert.ok(json.metrics.playbooks[0]!.versions[0]!.steps.length > 3);
    assert.ok(json.metrics.cohorts.length >= 17, `${json.metrics.cohorts.length} weeks`);
    assert.ok(Array.isArray(json.gaps.interactions));
    assert.equal(json.period.since, null);
  });

  test('text is the default: the verdicts come before the tables', async () => {
    const result = await report();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Aftercare report: all orders, as of /);
    const verdicts = result.stdout.indexOf('Does the program work?');
    assert.ok(verdicts > 0 && verdicts < result.stdout.indexOf('Playbook reassure'));
    assert.match(result.stdout, /Returns: /);
    assert.match(result.stdout, /NPS \(-100 to 100\): /);
  });

  test('--out writes the HTML file (the format follows the extension) and leaves stdout empty', async () => {
    const result = await report('--out', 'report.html');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /report written to report\.html/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.ok(html.startsWith('<!doctype html>'));
    assert.match(html, /<svg role="img"/);
    assert.doesNotMatch(html, /<script|https?:/i);
  });

  test('--since and --until narrow the orders to the days asked', async () => {
    const all = JSON.parse((await report('--format', 'json')).stdout) as {
      population: { treatment: { orders: number } };
    };
    const since = new Date(START - 30 * DAY).toISOString().slice(0, 10);
    const result = await report('--format', 'json', '--since', since, '--until', '2026-12-31');
    assert.equal(result.code, 0, result.stderr);
    const part = JSON.parse(result.stdout) as {
      period: { since: string };
      population: { treatment: { orders: number } };
    };
    assert.equal(part.period.since, since);
    assert.ok(part.population.treatment.orders > 0);
    assert.ok(part.population.treatment.orders < all.population.treatment.orders);
  });

  test('bad flags are named, with the usage exit code', async () => {
    const cases: [string[], RegExp][] = [
      [['--since', '2026-02-30'], /--since must be a day such as 2026-03-01/],
      [['--until', 'yesterday'], /--until must be a day such as 2026-03-01/],
      [['--format', 'pdf'], /--format/],
      [['--since', '2026-09-01', '--until', '2026-08-01'], /--until: 2026-08-01 is before since/],
      [['--playbook', 'nope'], /--playbook: no playbook named "nope"/],
    ];
    for (const [args, message] of cases) {
      const result = await report(...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });

  test('reads only: a mistyped AFTERCARE_DB is an error and no database is created', async () => {
    const missing = join(dir, 'typo.db');
    const result = await runCli(['report'], { cwd: dir, env: { AFTERCARE_DB: missing } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /AFTERCARE_E_STORE_NOT_FOUND/);
    assert.equal(existsSync(missing), false);
  });
});
