// The measuring report as the API answers it (GET /api/v1/reports/...): the shapes of
// core/measuring/report.ts, described field by field for the OpenAPI document. docs/measuring.md
// explains each number and its caveats.
import { z } from 'zod';
import { LIFT_METRICS } from '../../core/measuring/lift.js';
import { SURVEYS } from '../../core/domain.js';

const interval = z.tuple([z.number(), z.number()]).nullable().describe('95% confidence interval [low, high]');
const fraction = z.number().nullable().describe('a fraction (0.051 = 5.1%); null without data');

export const reportQuery = z.strictObject({
  since: z.iso
    .date({ error: 'must be a day like 2026-03-01' })
    .optional()
    .describe('orders placed on or after this UTC day'),
  until: z.iso
    .date({ error: 'must be a day like 2026-03-01' })
    .optional()
    .describe('orders placed on or before this UTC day'),
  playbook: z.string().min(1).max(100).optional().describe('only this playbook'),
});

const reasonCounts = z.object({
  total: z.number().int(),
  byReason: z.record(z.string(), z.number().int()).describe('typed reason (docs/policies.md) -> count'),
});

const touchPoints = z.object({
  sent: z.number().int(),
  skipped: reasonCounts,
  cancelled: reasonCounts,
  failed: reasonCounts,
  pending: z.number().int().describe('scheduled or claimed, not decided yet'),
  answers: z.number().int().describe('survey answers traced to these touch points'),
  answerRate: fraction.describe('answers per message sent'),
  unsubscribes: z.number().int(),
  unsubscribesPerMessage: fraction.describe('unsubscribes per message sent'),
});

const csat = z.object({
  answers: z.number().int(),
  mean: z.number().nullable().describe('mean score, 1-5'),
  ci95: interval,
  distribution: z
    .array(z.object({ score: z.number().int(), count: z.number().int() }))
    .describe('answers per score 1-5'),
});

const nps = z.object({
  answers: z.number().int(),
  score: z.number().nullable().describe('% promoters - % detractors, -100..100'),
  ci95: interval,
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
});

const rate = z.object({
  n: z.number().int().describe('orders the rate is over'),
  events: z.number().int(),
  rate: fraction,
  ci95: interval,
});

const outcomes = z.object({
  orders: z.number().int(),
  returns: rate,
  cancellations: rate,
  repeat90: rate.describe('another order within 90 days; only orders at least 90 days old'),
  repeat180: rate.describe('another order within 180 days; only orders at least 180 days old'),
  hoursToFirstContact: z
    .number()
    .nullable()
    .describe('mean hours from the order to the first message sent or task done'),
  concernsOpened: z.number().int(),
  concernsResolved: z.number().int(),
  hoursToResolve: z.number().nullable().describe('mean hours from a concern opened to resolved'),
  slaBreaches: z.number().int().describe('concerns that escalated past their first level'),
});

const sliceFields = { touchPoints, csat, nps, outcomes };
const slice = z.object(sliceFields);

const step = z.object({
  step: z.string(),
  channel: z.string(),
  survey: z.enum(SURVEYS).nullable(),
  measurement: z.boolean().describe('a survey the holdout receives too'),
  touchPoints,
  csat,
  nps,
});

export const liftResource = z.object({
  metric: z.enum(LIFT_METRICS),
  better: z.enum(['lower', 'higher']),
  treatment: z.object({ n: z.number().int(), value: z.number().nullable() }),
  holdout: z.object({ n: z.number().int(), value: z.number().nullable() }),
  difference: z.number().nullable().describe('treatment - holdout, in the metric unit (fractions for rates)'),
  ci95: interval,
  method: z.string().describe('how the interval was computed, e.g. newcombe-wilson, welch-t'),
  mde: z.number().nullable().describe('smallest difference these sizes detect (80% power, 5% two-sided)'),
  neededPerGroup: z.number().nullable().describe('customers still needed per group to see the target effect'),
  verdict: z.string().describe('the result in words'),
});

export const reportMetrics = z.object({
  overall: slice,
  playbooks: z.array(
    z.object({
      playbook: z.string(),
      ...sliceFields,
      versions: z.array(z.object({ version: z.number().int(), ...sliceFields, steps: z.array(step) })),
    }),
  ),
  segments: z.array(z.object({ segment: z.string(), ...sliceFields })),
  cohorts: z.array(z.object({ week: z.string().describe('ISO week of purchase, 2026-W10'), ...sliceFields })),
});

const versionComparison = z.object({
  playbook: z.string(),
  version: z.number().int(),
  measurementSteps: z.array(z.string()),
  metrics: slice,
  lift: z.array(liftResource),
});

const reportHead = {
  period: z.object({
    since: z.string().nullable(),
    until: z.string().nullable(),
    asOf: z.string().describe('ISO 8601 time the repeat-purchase windows are judged at'),
    lag: z
      .object({
        days: z.number().int().describe('days of purchases changed since they were last counted'),
        countedAt: z.string().describe('ISO 8601 time the oldest of them was counted'),
      })
      .nullable()
      .describe(
        'null: every number is current. Otherwise some days were read as last counted, at most AFTERCARE_REPORT_MAX_LAG ago',
      ),
  }),
  generatedAt: z.string(),
  playbook: z.string().nullable(),
};

const population = z.object({
  treatment: z.object({ orders: z.number().int(), firstOrders: z.number().int() }),
  holdout: z.object({ orders: z.number().int(), firstOrders: z.number().int() }),
});

export const reportMetricsResponse = z.object({
  ...reportHead,
  population,
  metrics: reportMetrics,
  versions: z.array(versionComparison),
});
export const reportLiftResponse = z.object({ ...reportHead, population, lift: z.array(liftResource) });
