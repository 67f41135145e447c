// The measuring report, assembled from the store's additive cells (cells.ts) and the step
// definitions of the playbook versions that planned them: what the program did per playbook,
// version, step, segment and cohort week, and its effect against the holdout (`lift`). Pure: the
// engine (engine/commands/report.ts) reads the cells and adds the gaps; cli and http present it.
import type { Survey } from '../domain.js';
import { baseStepKey } from '../renewalCycle.js';
import type { AnswerCell, CellKey, MeasureCells, MeasureQuery, OutcomeCell, StepCell } from './cells.js';
import { LIFT_METRICS, type Lift, type LiftMetric } from './lift.js';
import {
  csatSums,
  isoWeek,
  npsCounts,
  sliceMetrics,
  touchPointMetrics,
  csatMetrics,
  npsMetrics,
  type CsatMetrics,
  type NpsMetrics,
  type SliceMetrics,
  type TouchPointMetrics,
} from './reportMetrics.js';
import { meanLift, npsLift, rateLift } from './stats.js';

/** What the report needs of a playbook version's steps. */
export interface StepDefinition {
  key: string;
  channel: string;
  survey: Survey | null;
  /** A survey step the holdout receives too: the only answers CSAT and NPS lift compare. */
  measurement: boolean;
}

export interface VersionDefinition {
  playbook: string;
  version: number;
  steps: readonly StepDefinition[];
}

export interface StepMetrics {
  step: string;
  channel: string;
  survey: Survey | null;
  measurement: boolean;
  touchPoints: TouchPointMetrics;
  csat: CsatMetrics;
  nps: NpsMetrics;
}

export interface VersionMetrics extends SliceMetrics {
  version: number;
  steps: StepMetrics[];
}

export interface PlaybookMetrics extends SliceMetrics {
  playbook: string;
  versions: VersionMetrics[];
}

export interface ReportMetrics {
  /** Everything the program did (treatment group). */
  overall: SliceMetrics;
  playbooks: PlaybookMetrics[];
  segments: (SliceMetrics & { segment: string })[];
  /** By ISO week of purchase, `2026-W10`. */
  cohorts: (SliceMetrics & { week: string })[];
}

/** One playbook version judged by its own effect, beside the others. */
export interface VersionComparison {
  playbook: string;
  version: number;
  /** Steps whose answers the CSAT/NPS lift compares. */
  measurementSteps: string[];
  metrics: SliceMetrics;
  lift: Lift[];
}

export interface Population {
  /** Orders enrolled in a playbook, by group; `firstOrders` are the lift's unit. */
  treatment: { orders: number; firstOrders: number };
  holdout: { orders: number; firstOrders: number };
}

export interface MeasuredReport {
  period: {
    since: string | null;
    until: string | null;
    asOf: string;
    /** Days changed since their last count, read as then counted (AFTERCARE_REPORT_MAX_LAG). */
    lag: { days: number; countedAt: string } | null;
  };
  generatedAt: string;
  /** The playbook the report was limited to, or null for all. */
  playbook: string | null;
  population: Population;
  /** The program's effect against the holdout, on first orders: one entry per LIFT_METRICS. */
  lift: Lift[];
  /** Numbers of the treatment group (customers the program ran for). */
  metrics: ReportMetrics;
  versions: VersionComparison[];
}

export interface ReportInput {
  cells: MeasureCells;
  definitions: readonly VersionDefinition[];
  query: MeasureQuery;
  generatedAt: number;
}

type Cells = { steps: StepCell[]; answers: AnswerCell[]; outcomes: OutcomeCell[] };

const versionKey = (playbook: string, version: number): string => `${playbook}@${version}`;

function groupBy<C extends CellKey>(cells: readonly C[], key: (cell: C) => string): Map<string, C[]> {
  const groups = new Map<string, C[]>();
  for (const cell of cells) {
    const k = key(cell);
    const group = groups.get(k);
    if (group) group.push(cell);
    else groups.set(k, [cell]);
  }
  return groups;
}

/** The cells split by one key: every key any of the three kinds has, in sorted order. */
function split(cells: Cells, key: (cell: CellKey) => string): [string, Cells][] {
  const steps = groupBy(cells.steps, key);
  const answers = groupBy(cells.answers, key);
  const outcomes = groupBy(cells.outcomes, key);
  const keys = [...new Set([...steps.keys(), ...answers.keys(), ...outcomes.keys()])].sort();
  return keys.map((k) => [
    k,
    { steps: steps.get(k) ?? [], answers: answers.get(k) ?? [], outcomes: outcomes.get(k) ?? [] },
  ]);
}

const slice = (cells: Cells): SliceMetrics => sliceMetrics(cells.steps, cells.answers, cells.outcomes);

function stepMetrics(cells: Cells, definition: VersionDefinition | undefined): StepMetrics[] {
  const defined = definition?.steps ?? [];
  const order = new Map(defined.map((step, index) => [step.key, index]));
  const steps = groupBy(cells.steps, (cell) => `${baseStepKey(cell.step)}\u0000${cell.channel}`);
  const answers = groupBy(
    cells.answers.filter((cell) => cell.step !== null),
    (cell) => baseStepKey(cell.step!),
  );
  const rows = [...steps.entries()].map(([k, group]) => {
    const [step, channel] = k.split('\u0000') as [string, string];
    const def = defined.find((d) => d.key === step);
    const stepAnswers = answers.get(step) ?? [];
    return {
      step,
      channel,
      survey: def?.survey ?? null,
      measurement: def?.measurement ?? false,
      touchPoints: touchPointMetrics(group),
      csat: csatMetrics(stepAnswers),
      nps: npsMetrics(stepAnswers),
    };
  });
  const rank = (step: string): number => order.get(step) ?? Number.MAX_SAFE_INTEGER;
  return rows.sort((a, b) => rank(a.step) - rank(b.step) || (a.step < b.step ? -1 : a.step > b.step ? 1 : 0));
}

function noMeasurement(metric: 'csat' | 'nps', treatmentAnswers: number): Lift {
  const survey = metric === 'csat' ? 'CSAT' : 'NPS';
  return {
    metric,
    better: 'higher',
    treatment: { n: 0, value: null },
    holdout: { n: 0, value: null },
    difference: null,
    ci95: null,
    method: 'none',
    mde: null,
    neededPerGroup: null,
    verdict:
      `no ${survey} measurement survey: the holdout is never asked, so ${survey} cannot be compared` +
      (treatmentAnswers > 0
        ? ` (${treatmentAnswers.toLocaleString('en-US')} program answers are not comparable)`
        : '') +
      `; mark a ${survey} survey step \`measurement: true\` to measure it`,
  };
}

/**
 * The effect against the holdout, on first orders only (a customer's later orders are not
 * independent of the first), CSAT and NPS from measurement steps only (the same question to both
 * groups). `measurement`: keys `playbook@version:step` of measurement steps, by survey.
 */
function liftOf(cells: Cells, measurement: Record<Survey, ReadonlySet<string>>): Lift[] {
  const outcomes = cells.outcomes.filter((cell) => cell.firstOrder);
  const group = (holdout: boolean) => outcomes.filter((cell) => cell.holdout === holdout);
  const sum = (list: OutcomeCell[], pick: (cell: OutcomeCell) => number): number =>
    list.reduce((total, cell) => total + pick(cell), 0);
  const [t, h] = [group(false), group(true)];
  const rate = (events: (c: OutcomeCell) => number, n: (c: OutcomeCell) => number) => ({
    t: { events: sum(t, events), n: sum(t, n) },
    h: { events: sum(h, events), n: sum(h, n) },
  });
  const measured = (survey: Survey) =>
    cells.answers.filter(
      (cell) =>
        cell.firstOrder &&
        cell.survey === survey &&
        cell.step !== null &&
        measurement[survey].has(`${versionKey(cell.playbook, cell.version)}:${baseStepKey(cell.step)}`),
    );
  const programAnswers = (survey: Survey): number =>
    cells.answers.filter((cell) => !cell.holdout && cell.survey === survey).reduce((n, c) => n + c.count, 0);
  const byMetric: Record<LiftMetric, () => Lift> = {
    return_rate: () => {
      const r = rate(
        (c) => c.returned,
        (c) => c.enrollments,
      );
      return rateLift('return_rate', r.t, r.h);
    },
    // 90 days: the shorter window has more orders old enough to judge (repeat180 is in metrics).
    repeat_purchase_rate: () => {
      const r = rate(
        (c) => c.repeat90,
        (c) => c.repeat90Eligible,
      );
      return rateLift('repeat_purchase_rate', r.t, r.h);
    },
    cancel_rate: () => {
      const r = rate(
        (c) => c.cancelled,
        (c) => c.enrollments,
      );
      return rateLift('cancel_rate', r.t, r.h);
    },
    csat: () => {
      if (measurement.csat.size === 0) return noMeasurement('csat', programAnswers('csat'));
      const answers = measured('csat');
      return meanLift(
        'csat',
        csatSums(answers.filter((c) => !c.holdout)),
        csatSums(answers.filter((c) => c.holdout)),
      );
    },
    nps: () => {
      if (measurement.nps.size === 0) return noMeasurement('nps', programAnswers('nps'));
      const answers = measured('nps');
      return npsLift(
        npsCounts(answers.filter((c) => !c.holdout)),
        npsCounts(answers.filter((c) => c.holdout)),
      );
    },
  };
  return LIFT_METRICS.map((metric) => byMetric[metric]());
}

function measurementKeys(definitions: readonly VersionDefinition[]): Record<Survey, Set<string>> {
  const keys: Record<Survey, Set<string>> = { csat: new Set(), nps: new Set() };
  for (const definition of definitions)
    for (const step of definition.steps)
      if (step.measurement && step.survey !== null)
        keys[step.survey].add(`${versionKey(definition.playbook, definition.version)}:${step.key}`);
  return keys;
}

function day(at: number): string {
  return new Date(at).toISOString();
}

export function assembleReport(input: ReportInput): MeasuredReport {
  const { cells, query } = input;
  const all: Cells = { steps: cells.steps, answers: cells.answers, outcomes: cells.outcomes };
  const treatment: Cells = {
    steps: all.steps.filter((c) => !c.holdout),
    answers: all.answers.filter((c) => !c.holdout),
    outcomes: all.outcomes.filter((c) => !c.holdout),
  };
  const definitions = new Map(input.definitions.map((d) => [versionKey(d.playbook, d.version), d]));
  const measurement = measurementKeys(input.definitions);

  const playbooks: PlaybookMetrics[] = split(treatment, (c) => c.playbook).map(([playbook, cellsOf]) => ({
    playbook,
    ...slice(cellsOf),
    versions: split(cellsOf, (c) => String(c.version).padStart(10, '0')).map(([padded, versionCells]) => {
      const version = Number(padded);
      return {
        version,
        ...slice(versionCells),
        steps: stepMetrics(versionCells, definitions.get(versionKey(playbook, version))),
      };
    }),
  }));

  const versions: VersionComparison[] = split(
    all,
    (c) => `${c.playbook}\u0000${String(c.version).padStart(10, '0')}`,
  ).map(([k, versionCells]) => {
    const [playbook, padded] = k.split('\u0000') as [string, string];
    const version = Number(padded);
    const prefix = `${versionKey(playbook, version)}:`;
    const own = (set: ReadonlySet<string>) => new Set([...set].filter((key) => key.startsWith(prefix)));
    const mine = { csat: own(measurement.csat), nps: own(measurement.nps) };
    return {
      playbook,
      version,
      measurementSteps: [...new Set([...mine.csat, ...mine.nps])]
        .map((key) => key.slice(prefix.length))
        .sort(),
      metrics: slice({
        steps: versionCells.steps.filter((c) => !c.holdout),
        answers: versionCells.answers.filter((c) => !c.holdout),
        outcomes: versionCells.outcomes.filter((c) => !c.holdout),
      }),
      lift: liftOf(versionCells, mine),
    };
  });

  const count = (list: OutcomeCell[], holdout: boolean, firstOnly: boolean): number =>
    list
      .filter((c) => c.holdout === holdout && (!firstOnly || c.firstOrder))
      .reduce((n, c) => n + c.enrollments, 0);
  return {
    period: {
      since: query.since ?? null,
      until: query.until ?? null,
      asOf: day(query.asOf),
      lag: cells.lag === undefined ? null : { days: cells.lag.days, countedAt: day(cells.lag.countedAt) },
    },
    generatedAt: day(input.generatedAt),
    playbook: query.playbook ?? null,
    population: {
      treatment: { orders: count(all.outcomes, false, false), firstOrders: count(all.outcomes, false, true) },
      holdout: { orders: count(all.outcomes, true, false), firstOrders: count(all.outcomes, true, true) },
    },
    lift: liftOf(all, measurement),
    metrics: {
      overall: slice(treatment),
      playbooks,
      segments: split(treatment, (c) => c.segment).map(([segment, c]) => ({ segment, ...slice(c) })),
      cohorts: split(treatment, (c) => isoWeek(c.cohort)).map(([week, c]) => ({ week, ...slice(c) })),
    },
    versions,
  };
}
