// The gap commands on the in-memory store: no catalogue, the orders' window, answers and pairs from the cells.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import type { InteractionCatalogue } from '../../src/core/measuring/interactions.js';
import { AftercareError } from '../../src/errors.js';
import { openMemoryStore } from '../../src/store/memory/store.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { gapCommands } from '../../src/engine/commands/gaps.js';
import { sampleCorrelation } from 'simple-statistics';
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

test('without a catalogue: no interactions, and audits and actions say so', async () => {
  const store = await openMemoryStore();
  const gaps = gapCommands({
    gaps: store.gaps,
    measuring: store.measuring,
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

/** An order placed at `at` with answers to its touch points (`test:ORDER:STEP`), as intake keeps them. */
function ordered(
  customer: string,
  order: string,
  at: number,
  answers: readonly (readonly [step: string, survey: 'csat' | 'nps', score: number])[],
): DomainEvent[] {
  return [
    {
      id: `placed-${order}`,
      type: 'order.placed',
      at,
      customerId: customer,
      orderId: order,
      customer: { email: `${customer}@example.com` },
      order: { placedAt: at, currency: 'EUR', total: 10 },
      data: {},
    },
    ...answers.map(([step, survey, score]): DomainEvent => ({
      id: `answer-${order}-${step}`,
      type: 'survey.answered',
      at: at + 1,
      customerId: customer,
      orderId: order,
      data: { survey, score, touchPointId: `test:${order}:${step}` },
    })),
  ];
}

test('the analysis counts every answer from the cells and pairs answers about the same order', async () => {
  const store = await openMemoryStore();
  const clock = new VirtualClock(T0 + 3 * 86_400_000);
  const events: DomainEvent[] = [];
  // 40 orders answered both questions: week CSAT 1-5 and month NPS loosely following it.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 40; i++) {
    const week = 1 + (i % 5);
    const month = Math.min(10, 2 * (i % 5) + (i % 3));
    events.push(
      ...ordered(`c${i}`, `o${i}`, T0, [
        ['week', 'csat', week],
        ['month', 'nps', month],
      ]),
    );
    xs.push(week);
    ys.push(1 + 0.4 * month);
  }
  // c0 orders again the next day and answers only the week question, badly: an answer, no pair
  // (paired by customer, c0's mean would have moved).
  events.push(...ordered('c0', 'o0-again', T0 + 86_400_000, [['week', 'csat', 1]]));
  // An answer naming a touch point of an order that has none of this customer's: not counted.
  events.push({
    id: 'answer-stranger',
    type: 'survey.answered',
    at: T0 + 2,
    customerId: 'c1',
    orderId: null,
    data: { survey: 'csat', score: 5, touchPointId: 'test:o2:week' },
  });
  // The store contract's reducer keeps events as given and enrolls each order in `test`.
  await store.intake.apply(events, testReducer().reduce);
  let reads = 0;
  const measuring = {
    cells: (query: Parameters<typeof store.measuring.cells>[0]) => {
      reads += 1;
      return store.measuring.cells(query);
    },
  };
  const deps = {
    gaps: store.gaps,
    measuring,
    playbooks: store.playbooks,
    clock,
    catalogue: () => Promise.resolve({ ...catalogue, playbook: 'test' }),
  };
  const all = await gapCommands(deps).analyse();
  assert.equal(reads, 1);
  assert.deepEqual(all.answers, { read: 81, complete: true });
  assert.equal(all.catalogue?.source, 'interactions.yaml', 'the file name, not where it lives');
  const firstUse = all.interactions.find((g) => g.interaction === 'first-use')!;
  const weekSum = xs.reduce((s, x) => s + x, 0) + 1;
  assert.deepEqual(firstUse.evidence.survey, { value: Number((weekSum / 41).toFixed(3)), answers: 41 });
  // The correlation over the 40 orders with both answers, as a library computes it.
  const r = Number(sampleCorrelation(xs, ys).toFixed(3));
  assert.ok(r > 0.5 && r < 1, `r ${r}`);
  assert.deepEqual(firstUse.evidence.derived, {
    value: Number((1 + 4 * r).toFixed(3)),
    r,
    pairs: 40,
  });

  // The first day alone: the second order's answer falls outside.
  const firstDay = await gapCommands(deps).analyse({ since: '2026-03-02', until: '2026-03-02' });
  assert.deepEqual(firstDay.answers, { read: 80, complete: true });
  const outside = await gapCommands(deps).analyse({ since: '2026-03-04' });
  assert.deepEqual(outside.answers, { read: 0, complete: true });
  assert.equal(outside.interactions.find((g) => g.interaction === 'first-use')!.evidence.derived, null);

  // Cells the report read already are used as they are (no second read), unless they were
  // narrowed to another playbook than the catalogue's.
  reads = 0;
  const cells = await store.measuring.cells({ asOf: clock.now() });
  const reused = await gapCommands(deps).analyse({}, { cells });
  assert.equal(reads, 0);
  assert.deepEqual(reused, all);
  await gapCommands(deps).analyse({}, { cells: { ...cells, answers: [], pairs: [] }, playbook: 'other' });
  assert.equal(reads, 1);
  await store.close();
});
