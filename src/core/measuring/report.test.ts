// The report against numbers worked out by hand: a 10% holdout, returns and cancellations, a
// version change (v1 asks CSAT as a measurement survey, v2 asks NPS of the program only), repeat
// orders that must not count in the lift, and an answer given through the API without a step.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NO_OUTCOMES,
  type AnswerCell,
  type CellKey,
  type MeasureCells,
  type OutcomeCell,
  type StepCell,
} from './cells.js';
import { assembleReport, type VersionDefinition } from './report.js';
import { isoWeek } from './reportMetrics.js';

const AS_OF = Date.UTC(2026, 5, 15);

function key(overrides: Partial<CellKey>): CellKey {
  return {
    playbook: 'reassure',
    version: 1,
    segment: 'b2c',
    cohort: '2026-03-02',
    holdout: false,
    firstOrder: true,
    ...overrides,
  };
}

function outcome(k: Partial<CellKey>, values: Partial<OutcomeCell>): OutcomeCell {
  return {
    ...key(k),
    ...NO_OUTCOMES,
    ...values,
  };
}

function stepCell(
  k: Partial<CellKey>,
  values: Partial<StepCell> & Pick<StepCell, 'step' | 'status' | 'count'>,
): StepCell {
  return { ...key(k), channel: 'email', reason: null, answers: 0, unsubscribes: 0, ...values };
}

function answer(
  k: Partial<CellKey>,
  step: string | null,
  survey: 'csat' | 'nps',
  score: number,
  count: number,
): AnswerCell {
  return { ...key(k), step, survey, score, count };
}

const V2 = { version: 2, segment: 'b2b', cohort: '2026-03-09' };

const CELLS: MeasureCells = {
  pairs: [],
  outcomes: [
    outcome(
      {},
      {
        enrollments: 90,
        returned: 9,
        cancelled: 3,
        repeat90Eligible: 90,
        repeat90: 18,
        firstContacts: 90,
        firstContactHours: 180,
        concernsOpened: 4,
        concernsResolved: 3,
        resolveHours: 30,
        slaBreaches: 1,
      },
    ),
    outcome(
      { holdout: true },
      { enrollments: 10, returned: 2, cancelled: 1, repeat90Eligible: 10, repeat90: 1 },
    ),
    // Repeat orders: in the metrics, never in the lift.
    outcome({ firstOrder: false }, { enrollments: 20, returned: 1, repeat90Eligible: 20, repeat90: 4 }),
    outcome({ holdout: true, firstOrder: false }, { enrollments: 4, returned: 4 }),
    outcome(V2, { enrollments: 45, returned: 3, firstContacts: 45, firstContactHours: 67.5 }),
    outcome({ ...V2, holdout: true }, { enrollments: 5, returned: 1, cancelled: 1 }),
  ],
  steps: [
    stepCell({}, { step: 'thanks', status: 'sent', count: 90 }),
    stepCell({ holdout: true }, { step: 'thanks', status: 'skipped', reason: 'holdout', count: 10 }),
    stepCell({}, { step: 'csat', status: 'sent', count: 80, answers: 40, unsubscribes: 2 }),
    stepCell({}, { step: 'csat', status: 'skipped', reason: 'unsubscribed', count: 5 }),
    stepCell({}, { step: 'csat', status: 'skipped', reason: 'concern_open', count: 5 }),
    stepCell({ holdout: true }, { step: 'csat', status: 'sent', count: 10, answers: 6 }),
    stepCell(V2, { step: 'thanks', status: 'sent', count: 45 }),
    stepCell(V2, { step: 'nps', status: 'scheduled', count: 45 }),
    stepCell(V2, { step: 'call', channel: 'task', status: 'failed', reason: 'no_channel', count: 2 }),
  ],
  answers: [
    answer({}, 'csat', 'csat', 5, 20),
    answer({}, 'csat', 'csat', 4, 15),
    answer({}, 'csat', 'csat', 2, 5),
    answer({ holdout: true }, 'csat', 'csat', 5, 2),
    answer({ holdout: true }, 'csat', 'csat', 4, 2),
    answer({ holdout: true }, 'csat', 'csat', 3, 2),
    answer({ firstOrder: false }, 'csat', 'csat', 1, 3),
    answer({}, null, 'csat', 3, 2),
    answer(V2, 'nps', 'nps', 10, 10),
    answer(V2, 'nps', 'nps', 8, 5),
    answer(V2, 'nps', 'nps', 3, 5),
  ],
};

const DEFINITIONS: VersionDefinition[] = [
  {
    playbook: 'reassure',
    version: 1,
    steps: [
      { key: 'thanks', channel: 'email', survey: null, measurement: false },
      { key: 'csat', channel: 'email', survey: 'csat', measurement: true },
    ],
  },
  {
    playbook: 'reassure',
    version: 2,
    steps: [
      { key: 'thanks', channel: 'email', survey: null, measurement: false },
      { key: 'call', channel: 'task', survey: null, measurement: false },
      { key: 'nps', channel: 'email', survey: 'nps', measurement: false },
    ],
  },
];

const report = assembleReport({
  cells: CELLS,
  definitions: DEFINITIONS,
  query: { since: '2026-03-01', asOf: AS_OF },
  generatedAt: AS_OF + 5,
});

const close = (actual: number | null | undefined, expected: number, what: string): void => {
  assert.ok(actual !== null && actual !== undefined, `${what} is ${actual}`);
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);
};

describe('assembleReport', () => {
  test('says how many days were read as last counted, and since when', () => {
    const lagged = assembleReport({
      cells: { ...CELLS, lag: { days: 2, countedAt: AS_OF - 90_000 } },
      definitions: DEFINITIONS,
      query: { since: '2026-03-01', asOf: AS_OF, maxLagMs: 300_000 },
      generatedAt: AS_OF + 5,
    });
    assert.deepEqual(lagged.period.lag, { days: 2, countedAt: '2026-06-14T23:58:30.000Z' });
    assert.deepEqual(lagged.lift, report.lift, 'the numbers are the cells given');
  });

  test('period and population: first orders are the lift unit', () => {
    assert.deepEqual(report.period, {
      since: '2026-03-01',
      until: null,
      asOf: '2026-06-15T00:00:00.000Z',
      lag: null,
    });
    assert.equal(report.generatedAt, '2026-06-15T00:00:00.005Z');
    assert.deepEqual(report.population, {
      treatment: { orders: 155, firstOrders: 135 },
      holdout: { orders: 19, firstOrders: 15 },
    });
  });

  test('lift lists the five metrics in order, on first orders only', () => {
    assert.deepEqual(
      report.lift.map((l) => l.metric),
      ['return_rate', 'repeat_purchase_rate', 'cancel_rate', 'csat', 'nps'],
    );
    const [returns, repeat, cancels, csat] = report.lift as [
      (typeof report.lift)[0],
      (typeof report.lift)[0],
      (typeof report.lift)[0],
      (typeof report.lift)[0],
    ];
    // 9 + 3 returns of 90 + 45 treatment first orders; 2 + 1 of 10 + 5 held out.
    assert.equal(returns.treatment.n, 135);
    close(returns.treatment.value, 12 / 135, 'treatment return rate');
    assert.equal(returns.holdout.n, 15);
    close(returns.holdout.value, 3 / 15, 'holdout return rate');
    close(returns.difference, 12 / 135 - 0.2, 'return difference');
    assert.ok(
      returns.ci95 !== null && returns.ci95[0] < returns.difference! && returns.difference! < returns.ci95[1],
    );
    // Only orders 90 days old count: v2's are too young.
    assert.deepEqual([repeat.treatment.n, repeat.holdout.n], [90, 10]);
    close(repeat.treatment.value, 0.2, 'treatment repeat');
    close(repeat.holdout.value, 0.1, 'holdout repeat');
    close(cancels.treatment.value, 3 / 135, 'treatment cancels');
    close(cancels.holdout.value, 2 / 15, 'holdout cancels');
    // The measurement step only: not the repeat order's 1s, not the API answer without a step.
    assert.deepEqual([csat.treatment.n, csat.holdout.n], [40, 6]);
    close(csat.treatment.value, 170 / 40, 'treatment csat');
    close(csat.holdout.value, 24 / 6, 'holdout csat');
    close(csat.difference, 0.25, 'csat difference');
  });

  test('without a measurement survey the NPS lift says so instead of comparing', () => {
    const nps = report.lift[4]!;
    assert.equal(nps.metric, 'nps');
    assert.equal(nps.difference, null);
    assert.equal(nps.holdout.n, 0);
    assert.match(nps.verdict, /no NPS measurement survey/);
    assert.match(nps.verdict, /20 program answers/);
  });

  test('overall metrics are the treatment group, all orders', () => {
    const { touchPoints, csat, nps, outcomes } = report.metrics.overall;
    assert.equal(touchPoints.sent, 90 + 80 + 45);
    assert.equal(touchPoints.pending, 45);
    assert.deepEqual(touchPoints.skipped, { total: 10, byReason: { concern_open: 5, unsubscribed: 5 } });
    assert.deepEqual(touchPoints.failed, { total: 2, byReason: { no_channel: 2 } });
    assert.equal(touchPoints.answers, 40);
    assert.equal(csat.answers, 45);
    close(csat.mean, (170 + 3 + 6) / 45, 'csat mean');
    assert.deepEqual(
      csat.distribution.map((d) => d.count),
      [3, 5, 2, 15, 20],
    );
    assert.deepEqual([nps.promoters, nps.passives, nps.detractors], [10, 5, 5]);
    close(nps.score, 25, 'nps');
    assert.equal(outcomes.orders, 155);
    assert.deepEqual([outcomes.returns.events, outcomes.returns.n], [13, 155]);
    assert.deepEqual([outcomes.repeat90.events, outcomes.repeat90.n], [22, 110]);
    assert.equal(outcomes.repeat180.rate, null);
    close(outcomes.hoursToFirstContact, 247.5 / 135, 'hours to first contact');
    close(outcomes.hoursToResolve, 10, 'hours to resolve');
    assert.deepEqual([outcomes.concernsOpened, outcomes.slaBreaches], [4, 1]);
  });

  test('steps per version in the playbook order, with channel, answer and unsubscribe rates', () => {
    const [playbook] = report.metrics.playbooks;
    assert.equal(playbook!.playbook, 'reassure');
    assert.deepEqual(
      playbook!.versions.map((v) => [v.version, v.steps.map((s) => `${s.step}/${s.channel}`)]),
      [
        [1, ['thanks/email', 'csat/email']],
        [2, ['thanks/email', 'call/task', 'nps/email']],
      ],
    );
    const csat = playbook!.versions[0]!.steps[1]!;
    assert.equal(csat.measurement, true);
    assert.equal(csat.survey, 'csat');
    close(csat.touchPoints.answerRate, 0.5, 'answer rate');
    close(csat.touchPoints.unsubscribesPerMessage, 2 / 80, 'unsubscribes per message');
    assert.equal(csat.csat.answers, 43);
    assert.equal(playbook!.versions[1]!.steps[2]!.nps.answers, 20);
  });

  test('segments and ISO cohort weeks', () => {
    assert.deepEqual(
      report.metrics.segments.map((s) => [s.segment, s.outcomes.orders]),
      [
        ['b2b', 45],
        ['b2c', 110],
      ],
    );
    assert.deepEqual(
      report.metrics.cohorts.map((c) => [c.week, c.outcomes.orders]),
      [
        ['2026-W10', 110],
        ['2026-W11', 45],
      ],
    );
  });

  test('versions side by side, each with its own lift', () => {
    assert.deepEqual(
      report.versions.map((v) => [v.version, v.measurementSteps, v.metrics.outcomes.orders]),
      [
        [1, ['csat'], 110],
        [2, [], 45],
      ],
    );
    const v1 = report.versions[0]!.lift;
    assert.deepEqual([v1[0]!.treatment.n, v1[0]!.holdout.n], [90, 10]);
    close(v1[3]!.difference, 0.25, 'v1 csat difference');
    assert.match(report.versions[1]!.lift[3]!.verdict, /no CSAT measurement survey/);
    close(report.versions[1]!.lift[0]!.holdout.value, 0.2, 'v2 holdout returns');
  });

  test('an empty store gives a report of nothing, not an error', () => {
    const empty = assembleReport({
      cells: { steps: [], answers: [], outcomes: [], pairs: [] },
      definitions: [],
      query: { asOf: AS_OF },
      generatedAt: AS_OF,
    });
    assert.equal(empty.lift.length, 5);
    assert.equal(empty.lift[0]!.treatment.value, null);
    assert.equal(empty.metrics.overall.csat.mean, null);
    assert.deepEqual(empty.metrics.playbooks, []);
  });
});

describe('isoWeek', () => {
  test('weeks belong to the year of their Thursday', () => {
    assert.equal(isoWeek('2026-03-02'), '2026-W10');
    assert.equal(isoWeek('2026-03-08'), '2026-W10');
    assert.equal(isoWeek('2027-01-01'), '2026-W53');
    assert.equal(isoWeek('2024-12-30'), '2025-W01');
    assert.equal(isoWeek('2026-01-01'), '2026-W01');
  });
});
