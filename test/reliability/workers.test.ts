// Reliability on PostgreSQL with real worker processes: four workers share 10,000 orders with
// no duplicate and nothing lost; a worker frozen past its lease (SIGSTOP) loses its claims to
// another, and when it resumes (SIGCONT) it starts no new send and the store refuses its stale
// outcomes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyse, readSent, sleep, stopWorker, waitUntil } from './harness.js';
import { openScenario } from './scenario.js';
import { holdServer, postgresSkipReason } from './server.js';

const skip = await postgresSkipReason();

void describe('reliability: several workers', { skip: skip ?? false }, () => {
  let release: (() => Promise<void>) | null = null;
  before(async () => {
    release = await holdServer('shared');
  });
  after(async () => {
    await release?.();
  });

  void test('4 workers on 10,000 orders, no faults: every touch point sent exactly once', async () => {
    // No faults here, so a lease well above the time a batch can take on a loaded machine: a
    // lease that runs out mid-batch is a (legitimate) reason to send twice.
    const scenario = await openScenario('four', 1, { batchSize: 100, concurrency: 16, leaseMs: 60_000 });
    try {
      await scenario.ingest(10_000);
      const started = Date.now();
      const workers = ['w1', 'w2', 'w3', 'w4'].map((name) => scenario.spawn(name));
      await Promise.all(workers.map((w) => w.ready));
      await waitUntil(
        'all 10,000 touch points sent',
        async () => (await scenario.store.reads.counts()).touchPoints.sent === 10_000,
        120_000,
        250,
      );
      const seconds = (Date.now() - started) / 1000;
      const stats = await Promise.all(workers.map((w) => stopWorker(w)));
      const counts = await scenario.store.reads.counts();
      assert.equal(counts.touchPoints.scheduled + counts.touchPoints.claimed, 0);
      const sent = analyse(readSent(scenario.out));
      assert.equal(sent.distinct, 10_000, 'lost');
      assert.equal(sent.duplicates, 0, 'duplicated');
      // Every worker took part (work is shared, not grabbed by the first one up).
      for (const s of stats)
        assert.ok(s !== null && (s.sent as number) > 0, `a worker sent nothing: ${JSON.stringify(s)}`);
      console.log(
        `# 4 workers: 10,000 sends in ${seconds.toFixed(1)} s, per worker ${stats.map((s) => s?.sent).join('/')}`,
      );
    } finally {
      await scenario.close();
    }
  });

  void test('a worker frozen past its lease is fenced out when it resumes', async () => {
    // Slow sends and small batches, so the frozen worker is caught holding claims mid-batch.
    const scenario = await openScenario('freeze', 1, {
      batchSize: 10,
      concurrency: 2,
      maxUnrecorded: 2,
      sendDelayMs: 100,
    });
    try {
      await scenario.ingest(200);
      const frozen = scenario.spawn('frozen');
      await frozen.ready;
      // Freeze it while it holds claims: poll for them, stop it, and check it still holds them
      // (its batch may have finished between the look and the signal: then let it go and retry).
      const heldBy = async (worker: string): Promise<string[]> =>
        (
          await scenario.store.pool.query<{ id: string }>(
            `SELECT id FROM "${scenario.schema}".touch_points WHERE status = 'claimed' AND claimed_by = $1`,
            [worker],
          )
        ).rows.map((r) => r.id);
      // Only a worker caught sending has outcomes to record later; one caught loading its batch
      // simply drops it when it wakes (its connection attempt timed out meanwhile).
      const sendingHeld = async (): Promise<boolean> => {
        const held = new Set(await heldBy('frozen'));
        return readSent(scenario.out).some((line) => line.worker === 'frozen' && held.has(line.touchPointId));
      };
      let heldNow: string[] = [];
      for (let tries = 0; heldNow.length === 0; tries++) {
        assert.ok(tries < 50, 'could not catch the worker holding claims');
        await waitUntil('the worker to be sending a batch', sendingHeld, 20_000, 5);
        frozen.child.kill('SIGSTOP');
        // A write the worker sent just before the signal still commits: let it land first.
        await sleep(500);
        heldNow = await heldBy('frozen');
        if (heldNow.length === 0) frozen.child.kill('SIGCONT');
      }
      const frozenAt = Date.now();
      // Past its 2 s lease, another worker takes over.
      await sleep(2_500);
      // What it holds now, frozen for seconds, is what it really failed to record in time.
      heldNow = await heldBy('frozen');
      assert.ok(heldNow.length > 0, 'the frozen worker recorded everything it held');
      const rescuer = scenario.spawn('rescuer');
      await rescuer.ready;
      await waitUntil(
        'the rescuer to finish everything',
        async () => (await scenario.store.reads.counts()).touchPoints.sent === 200,
        60_000,
        100,
      );
      assert.ok(Date.now() - frozenAt > 2_000);
      frozen.child.kill('SIGCONT');
      // Let the stale worker finish its batch and try to record it.
      await waitUntil(
        'the stale worker to report refused outcomes',
        () => frozen.lines.some((l) => l.type === 'stale'),
        20_000,
      ).catch((error: unknown) => {
        const said = frozen.lines.filter((l) => l.type !== 'ready');
        throw new Error(`${String(error)}; the worker said ${JSON.stringify(said)}`);
      });
      const staleStats = await stopWorker(frozen);
      await stopWorker(rescuer);
      assert.ok((staleStats?.stale as number) > 0, 'the stale worker saw no refused outcome');
      // The rows it held were finished by the rescuer's attempt, not overwritten by the stale one.
      const rows = await scenario.store.reads.listTouchPoints({ limit: 1000 });
      assert.equal(rows.length, 200);
      assert.ok(rows.every((t) => t.status === 'sent'));
      const byId = new Map(rows.map((t) => [t.id, t]));
      for (const id of heldNow) assert.ok(byId.get(id)!.attempt >= 2, `${id} still at attempt 1`);
      const providers = await scenario.store.pool.query<{ id: string; provider_id: string }>(
        `SELECT id, provider_id FROM "${scenario.schema}".touch_points WHERE id = ANY($1::text[])`,
        [heldNow],
      );
      for (const row of providers.rows)
        assert.match(row.provider_id, /^rescuer:/, `${row.id} recorded by the stale worker`);
      const sent = analyse(readSent(scenario.out));
      assert.equal(sent.distinct, 200);
      assert.deepEqual(sent.conflictingMessageIds, []);
      // Only the sends whose outcomes were not written when it froze (maxUnrecorded 2, as many as
      // are in flight) can have gone out twice: on waking it sees its lease gone and starts no
      // other send of the batch.
      assert.ok(sent.duplicates <= 2, `${sent.duplicates} duplicates for ${heldNow.length} held`);
      console.log(
        `# freeze: held ${heldNow.length}, refused ${String(staleStats?.stale)}, duplicates ${sent.duplicates}`,
      );
    } finally {
      await scenario.close();
    }
  });
});
