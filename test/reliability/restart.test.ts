// Connection loss: the PostgreSQL server is restarted while two workers dispatch. Nothing is
// lost, sends resume within seconds without anyone restarting the workers, and any resend
// carries the same Message-ID. The only test that restarts the shared server: it first takes
// the server lock exclusively, so no other PostgreSQL test file runs meanwhile.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { analyse, readSent, sleep, waitUntil } from './harness.js';
import { openScenario } from './scenario.js';
import { TEST_PG_URL, holdServer, postgresSkipReason } from './server.js';

const skip = await postgresSkipReason();

/** The local cluster's version and name, e.g. ['15', 'main'], or null when it cannot be restarted from here. */
function localCluster(): [string, string] | null {
  const host = new URL(TEST_PG_URL).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') return null;
  try {
    const out = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
    const port = new URL(TEST_PG_URL).port || '5432';
    const line = out.split('\n').find((l) => l.trim().split(/\s+/)[2] === port);
    if (!line) return null;
    const [version, name] = line.trim().split(/\s+/);
    return version && name ? [version, name] : null;
  } catch {
    return null;
  }
}

const cluster = skip === null ? localCluster() : null;
const skipReason =
  skip ?? (cluster === null ? 'no local PostgreSQL cluster to restart (pg_lsclusters)' : false);

void describe('reliability: PostgreSQL restart', { skip: skipReason }, () => {
  let release: (() => Promise<void>) | null = null;
  before(async () => {
    release = await holdServer('exclusive');
  });
  after(async () => {
    await release?.();
  });

  void test('workers carry on by themselves after the server restarts mid-run', async () => {
    const scenario = await openScenario('restart', 2, {
      batchSize: 20,
      concurrency: 4,
      sendDelayMs: 5,
      leaseMs: 5_000,
    });
    try {
      await scenario.ingest(1_500);
      const total = 1_500 * scenario.steps;
      const workers = [scenario.spawn('r1'), scenario.spawn('r2')];
      await Promise.all(workers.map((w) => w.ready));
      await waitUntil('dispatch to be under way', () => readSent(scenario.out).length > 200, 30_000);

      const [version, name] = cluster!;
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'restart'], {
        stdio: 'ignore',
      });
      const restartedAt = Date.now();
      const sentAtRestart = readSent(scenario.out).length;
      const resumedAfter = await waitUntil(
        'sends to resume after the restart',
        () => readSent(scenario.out).length > sentAtRestart + 50,
        30_000,
        50,
      );
      await sleep(100);
      await waitUntil(
        'every touch point to be sent',
        async () => {
          try {
            return (await scenario.store.reads.counts()).touchPoints.sent === total;
          } catch {
            return false; // the test's own pool reconnects on the next query
          }
        },
        90_000,
        250,
      );
      const counts = await scenario.store.reads.counts();
      assert.equal(counts.touchPoints.claimed + counts.touchPoints.scheduled, 0);
      const sent = analyse(readSent(scenario.out));
      assert.equal(sent.distinct, total, 'lost');
      assert.deepEqual(sent.conflictingMessageIds, []);
      // Only batches in flight when the connection dropped can have gone out twice.
      assert.ok(sent.duplicates <= 2 * 20, `${sent.duplicates} duplicates`);
      assert.ok(resumedAfter < 15_000, `resumed only after ${resumedAfter} ms`);
      // The workers reconnected by themselves: the same processes are still the ones running.
      for (const w of workers) assert.ok(w.alive(), `${w.options.worker} died`);
      // Their LISTEN connections are back too.
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      const listening = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'aftercare-listen'",
      );
      await client.end();
      assert.ok((listening.rows[0]?.n ?? 0) >= 2, 'LISTEN connections did not come back');
      console.log(
        `# restart: sends resumed ${resumedAfter} ms after the restart, ${sent.duplicates} resends, ${
          Date.now() - restartedAt
        } ms to drain`,
      );
    } finally {
      await scenario.close();
    }
  });
});
