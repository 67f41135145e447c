// Crash safety with real processes: two workers dispatch while one of them is killed with
// SIGKILL at random moments, at least 50 times, and replaced. Afterwards every touch point is
// final, nothing is left claimed after lease + sweep, and each kill cost at most the documented
// cap of unrecorded sends (maxUnrecorded), each resend carrying the first send's Message-ID.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyse, readSent, sleep, waitUntil, type WorkerProcess } from './harness.js';
import { openScenario } from './scenario.js';
import { holdServer, postgresSkipReason } from './server.js';

const skip = await postgresSkipReason();
const KILLS = Number(process.env.AFTERCARE_RELIABILITY_KILLS ?? 50);

void describe('reliability: kill -9', { skip: skip ?? false }, () => {
  let release: (() => Promise<void>) | null = null;
  before(async () => {
    release = await holdServer('shared');
  });
  after(async () => {
    await release?.();
  });

  void test(`killing workers ${KILLS} times loses nothing and resends at most the cap per kill`, async () => {
    // Batches of 50 claimed at once, one send in flight, outcomes written every CAP sends: a kill
    // can repeat at most the CAP sends whose outcomes it had not written yet.
    const CAP = 5;
    const scenario = await openScenario('kill', 2, {
      batchSize: 50,
      concurrency: 1,
      maxUnrecorded: CAP,
      sendDelayMs: 10,
    });
    try {
      let orders = 400;
      await scenario.ingest(orders);
      const live: WorkerProcess[] = [scenario.spawn('k0'), scenario.spawn('k1')];
      await Promise.all(live.map((w) => w.ready));
      let kills = 0;
      let spawned = 2;
      const deadline = Date.now() + 150_000;
      while (kills < KILLS) {
        assert.ok(Date.now() < deadline, `only ${kills} kills before the deadline`);
        await sleep(100 + Math.random() * 300);
        const counts = await scenario.store.reads.counts();
        // Keep work in the queue so every kill lands while dispatching.
        if (counts.touchPoints.scheduled + counts.touchPoints.claimed < 150) {
          await scenario.ingest(150, orders);
          orders += 150;
        }
        const index = Math.floor(Math.random() * live.length);
        const victim = live[index]!;
        await victim.ready;
        victim.child.kill('SIGKILL');
        await victim.exited;
        kills += 1;
        live[index] = scenario.spawn(`k${spawned++}`);
      }
      await Promise.all(live.map((w) => w.ready));
      const total = orders * scenario.steps;
      const drained = await waitUntil(
        'every touch point to be sent after the last kill',
        async () => (await scenario.store.reads.counts()).touchPoints.sent === total,
        90_000,
        250,
      );
      const counts = await scenario.store.reads.counts();
      assert.equal(counts.touchPoints.claimed, 0, 'left claimed after lease + sweep');
      assert.equal(counts.touchPoints.scheduled, 0);
      const sent = analyse(readSent(scenario.out));
      assert.equal(sent.distinct, total, 'a touch point was never sent');
      assert.deepEqual(sent.conflictingMessageIds, [], 'a resend carried another Message-ID');
      assert.ok(
        sent.duplicates <= kills * CAP,
        `${sent.duplicates} duplicates for ${kills} kills (cap ${CAP})`,
      );
      console.log(
        `# kill -9: ${kills} kills, cap ${CAP}, ${total} touch points, ${sent.duplicates} resends, drained ${drained} ms after the last kill`,
      );
    } finally {
      await scenario.close();
    }
  });
});
