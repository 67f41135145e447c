// The gap commands on the in-memory store: no catalogue, the orders' window, the answer sample.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import type { InteractionCatalogue } from '../../src/core/measuring/interactions.js';
import { AftercareError } from '../../src/errors.js';
import { openMemoryStore } from '../../src/store/memory/store.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { dayStart, gapCommands } from '../../src/engine/commands/gaps.js';
import { testReducer } from '../store-contract/fixtures.js';

const T0 = Date.UTC(2026, 2, 2, 12);

const catalogue: InteractionCatalogue = {
  playbook: 'p',
  source: '/etc/aftercare/interactions.yaml',
  overall: { step: 'month', survey: 'nps' },
  interactions: [
    {
      id: 'first-use',
      name: 'First use',
      description: null,
      steps: [],
      events: [],
      questions: [{ step: 'week', survey: 'csat' }],
    },
    { id: 'support', name: 'Support', description: null, steps: [], events: [], questions: [] },
  ],
};

test('days: real ones only', () => {
  assert.equal(dayStart('2026-03-02'), Date.UTC(2026, 2, 2));
  assert.equal(dayStart('2026-02-30'), null);
  assert.equal(dayStart('2026-3-2'), null);
});

test('without a catalogue: no interactions, and audits and actions say so', async () => {
  const store = await openMemoryStore();
  const gaps = gapCommands({
    gaps: store.gaps,
    playbooks: store.playbooks,
    clock: new VirtualClock(T0),
    catalogue: () => Promise.resolve(null),
  });
  const report = await gaps.analyse();
  assert.deepEqual(report, {
    catalogue: null,
    window: { since: null, until: null },
    interactions: [],
    means: null,
    overall: null,
    teams: [],
    actions: [],
    answers: { read: 0, complete: true },
  });
  assert.deepEqual(await gaps.importAudit('care', 'interaction,importance,performance\nx,1,1\n', 'a.csv'), {
    ok: false,
    why: 'no_catalogue',
  });
  assert.deepEqual(await gaps.importAudit('', '', 'a.csv'), { ok: false, why: 'invalid_team' });
  assert.deepEqual(
    await gaps.addAction({ interaction: 'support', title: 't', owner: 'o', due: '2026-04-01' }),
    { ok: false, why: 'no_catalogue' },
  );
  await assert.rejects(
    gaps.analyse({ since: '2026-13-01' }),
    (e: unknown) =>
      e instanceof AftercareError && e.code === 'AFTERCARE_E_INPUT_INVALID' && e.details.field === 'since',
  );
  await store.close();
});

test('the analysis reads a sample of whole customers when there are more answers than it reads', async () => {
  const store = await openMemoryStore();
  const clock = new VirtualClock(T0);
  const events: DomainEvent[] = [];
  for (let i = 0; i < 10; i++) {
    events.push({
      id: `placed-${i}`,
      type: 'order.placed',
      at: T0,
      customerId: `c${i}`,
      orderId: `o${i}`,
      customer: { email: `c${i}@example.com` },
      order: { placedAt: T0, currency: 'EUR', total: 10 },
      data: {},
    });
    for (const [step, survey, score] of [
      ['week', 'csat', 1 + (i % 5)],
      ['month', 'nps', 2 * (i % 5)],
    ] as const) {
      events.push({
        id: `answer-${i}-${step}`,
        type: 'survey.answered',
        at: T0 + 1,
        customerId: `c${i}`,
        orderId: `o${i}`,
        data: { survey, score, touchPointId: `p:o${i}:${step}` },
      });
    }
  }
  // The store contract's reducer keeps events as given.
  await store.intake.apply(events, testReducer().reduce);
  const deps = {
    gaps: store.gaps,
    playbooks: store.playbooks,
    clock,
    catalogue: () => Promise.resolve(catalogue),
  };
  const all = await gapCommands(deps).analyse({ since: '2026-03-02', until: '2026-03-02' });
  assert.deepEqual(all.answers, { read: 20, complete: true });
  assert.equal(all.catalogue?.source, 'interactions.yaml', 'the file name, not where it lives');
  const firstUse = all.interactions.find((g) => g.interaction === 'first-use')!;
  assert.deepEqual(firstUse.performance, { value: 3, source: 'survey' });
  const sampled = await gapCommands({ ...deps, answerSample: 7 }).analyse();
  // 8 events read (7 + 1): the fourth customer's are dropped, three whole customers stay.
  assert.deepEqual(sampled.answers, { read: 6, complete: false });
  const outside = await gapCommands(deps).analyse({ since: '2026-03-03' });
  assert.deepEqual(outside.answers, { read: 0, complete: true });
  await store.close();
});
