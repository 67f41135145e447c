// The composition root: the store from config, playbooks checked before the store is touched,
// commands whose wake-ups reach the worker's dispatcher, and simulations on a store of their own.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../config.js';
import type { DomainEvent } from '../core/domain.js';
import { VirtualClock } from '../engine/clock.js';
import { AftercareError } from '../errors.js';
import { compose, composeSimulation, composeStore } from './compose.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const DAY = 86_400_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-compose-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const configFor = (env: Record<string, string> = {}) =>
  loadConfig({ AFTERCARE_DATA_DIR: dir, AFTERCARE_HOLDOUT: '0', AFTERCARE_LOG_LEVEL: 'silent', ...env });

function placed(orderId: string, at: number): DomainEvent {
  return {
    id: `compose:${orderId}:placed`,
    type: 'order.placed',
    at,
    customerId: null,
    orderId,
    customer: { email: 'ada.lovelace@example.com', firstName: 'Ada', timezone: 'UTC' },
    order: { placedAt: at, total: 80, currency: 'EUR', items: [] },
    data: {},
  };
}

function code(expected: string) {
  return (error: unknown) => error instanceof AftercareError && error.code === expected;
}

describe('composition root', () => {
  test('composeStore: the store at AFTERCARE_DB, migrated, with the commands over it', async () => {
    const first = await composeStore(configFor());
    const created = await first.commands.apiKeys.create('shop');
    await first.close();
    assert.ok(created.ok);
    assert.ok(existsSync(join(dir, 'aftercare.db')));
    const again = await composeStore(configFor());
    try {
      assert.deepEqual(
        (await again.commands.apiKeys.list()).map((k) => k.name),
        ['shop'],
      );
      assert.equal((await again.commands.status.counts()).customers, 0);
    } finally {
      await again.close();
    }
  });

  test('playbooks are loaded and checked before the store is opened', async () => {
    await assert.rejects(
      compose(configFor({ AFTERCARE_PLAYBOOKS: 'no-such-playbook' })),
      code('AFTERCARE_E_PLAYBOOK_NOT_FOUND'),
    );
    // Every process gets the same check: `worker` once ran without the one against twins.
    const twin = join(dir, 'twin.yaml');
    await writeFile(
      twin,
      'name: reassure\nversion: 9\nsteps:\n  - key: thank-you\n    timing: { after: 1d }\n    channel: email\n    purpose: reassurance\n',
    );
    await assert.rejects(
      compose(configFor({ AFTERCARE_PLAYBOOKS: `reassure,${twin}` })),
      code('AFTERCARE_E_PLAYBOOK_INVALID'),
    );
    assert.equal(existsSync(join(dir, 'aftercare.db')), false, 'the store was never touched');
  });

  test("a command's wake-up reaches the running worker's dispatcher at once", async () => {
    const clock = new VirtualClock(T0);
    let wakeUps = 0;
    const app = await compose(configFor(), { clock, onWake: () => (wakeUps += 1) });
    try {
      await app.commands.ingest.events([placed('o-1', T0)]);
      const [thanks] = await app.commands.touchPoints.list({ orderId: 'o-1' });
      assert.ok(thanks && thanks.dueAt > T0, 'the thank-you is due later');
      // It would sleep for a minute of real time unless woken.
      const worker = await app.startWorker({ idleMs: 60_000 });
      try {
        await sleep(50);
        const before = wakeUps;
        const now = await app.commands.touchPoints.sendNow(thanks.id);
        assert.ok(now.ok);
        assert.equal(wakeUps, before + 1);
        const deadline = Date.now() + 5_000;
        let status = now.touchPoint.status;
        while (status === 'scheduled' && Date.now() < deadline) {
          await sleep(20);
          status = (await app.commands.touchPoints.get(thanks.id))?.status ?? status;
        }
        assert.notEqual(status, 'scheduled', 'the woken dispatcher took it');
      } finally {
        await worker.stop();
      }
    } finally {
      await app.close();
    }
  });

  test('the HTTP app is built with the same commands', async () => {
    const app = await compose(configFor(), { clock: new VirtualClock(T0) });
    try {
      const created = await app.commands.apiKeys.create('http');
      assert.ok(created.ok);
      const http = await app.buildHttp({ logger: false });
      try {
        const answer = await http.inject({
          method: 'GET',
          url: '/api/v1/playbooks',
          headers: { authorization: `Bearer ${created.key}` },
        });
        assert.equal(answer.statusCode, 200);
        assert.deepEqual(
          answer.json<{ items: { name: string }[] }>().items.map((p) => p.name),
          ['reassure'],
        );
      } finally {
        await http.close();
      }
    } finally {
      await app.close();
    }
  });

  test('composeSimulation: the chosen playbooks on a fresh store per run, nothing kept', async () => {
    const simulator = await composeSimulation(configFor(), ['reassure']);
    assert.deepEqual(
      simulator.playbooks.map((p) => p.name),
      ['reassure'],
    );
    const first = await simulator.run([placed('o-1', T0)], 3);
    const second = await simulator.run([placed('o-2', T0 + DAY)], 3);
    assert.equal(first.summary.orders, 1);
    assert.deepEqual(
      second.deliveries.map((d) => d.order_id),
      second.deliveries.map(() => 'o-2'),
      'the second run does not see the first',
    );
    assert.ok(first.deliveries.some((d) => d.step === 'thank-you' && d.outcome === 'sent'));
    assert.equal(existsSync(join(dir, 'aftercare.db')), false, 'AFTERCARE_DB is not touched');
  });
});
