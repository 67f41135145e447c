// A small report for the renderers' tests (render.test.ts, test/report/html.a11y.test.ts): a
// measurement CSAT step, a step name and gap texts with markup in them, an open action item.
import type { CellKey, MeasureCells, OutcomeCell } from '../core/measuring/cells.js';
import { assembleReport } from '../core/measuring/report.js';
import type { GapsView, ReportView } from './view.js';

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

function outcome(k: Partial<CellKey>, enrollments: number, returned: number): OutcomeCell {
  return {
    ...key(k),
    enrollments,
    returned,
    cancelled: 0,
    repeat90Eligible: enrollments,
    repeat90: Math.round(enrollments / 5),
    repeat180Eligible: 0,
    repeat180: 0,
    firstContacts: enrollments,
    firstContactHours: enrollments * 2,
    concernsOpened: 1,
    concernsResolved: 1,
    resolveHours: 5,
    slaBreaches: 0,
  };
}

const CELLS: MeasureCells = {
  pairs: [],
  outcomes: [outcome({}, 900, 45), outcome({ holdout: true }, 100, 9)],
  steps: [
    {
      ...key({}),
      step: 'thank-you',
      channel: 'email',
      status: 'sent',
      reason: null,
      count: 900,
      answers: 0,
      unsubscribes: 1,
    },
    {
      ...key({}),
      step: 'check-in<b>',
      channel: 'email',
      status: 'skipped',
      reason: 'concern_open',
      count: 12,
      answers: 0,
      unsubscribes: 0,
    },
    {
      ...key({}),
      step: 'csat',
      channel: 'email',
      status: 'sent',
      reason: null,
      count: 880,
      answers: 300,
      unsubscribes: 2,
    },
  ],
  answers: [
    { ...key({}), step: 'csat', survey: 'csat', score: 5, count: 200 },
    { ...key({}), step: 'csat', survey: 'csat', score: 3, count: 100 },
    { ...key({ holdout: true }), step: 'csat', survey: 'csat', score: 4, count: 30 },
  ],
};

const GAPS: GapsView = {
  interactions: [
    {
      interaction: 'delivery',
      name: 'Delivery <arrives> & "works"',
      importance: { value: 4.6, source: 'asked' },
      performance: { value: 3.1, source: 'survey' },
      gap: 1.5,
      quadrant: 'concentrate_here',
      n: 120,
    },
    {
      interaction: 'support',
      name: 'Support call',
      importance: { value: 3.2, source: 'derived' },
      performance: { value: 4.4, source: 'audit' },
      gap: -1.2,
      quadrant: 'possible_overkill',
      n: 2,
    },
  ],
  means: { importance: 3.9, performance: 3.75 },
  actions: [
    { interaction: 'delivery', open: [{ title: 'Tell the carrier <now>', owner: 'ops', due: '2026-07-01' }] },
  ],
};

export const report: ReportView = {
  ...assembleReport({
    cells: CELLS,
    definitions: [
      {
        playbook: 'reassure',
        version: 1,
        steps: [
          { key: 'thank-you', channel: 'email', survey: null, measurement: false },
          { key: 'csat', channel: 'email', survey: 'csat', measurement: true },
        ],
      },
    ],
    query: { since: '2026-03-01', until: '2026-03-31', asOf: AS_OF },
    generatedAt: AS_OF,
  }),
  gaps: GAPS,
};
