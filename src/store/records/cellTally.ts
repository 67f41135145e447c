// What every store shares to answer `measuring.cells` the same way: the enrollment's cell key,
// the query's placed-day window, adding up cells (a SQL store's groups may be finer than a cell,
// e.g. by raw renewal step key, so they are merged here), and attributing survey answers to an
// enrollment, which is the one rule too branchy for a plain aggregate query.
import {
  NO_OUTCOMES,
  type AnswerCell,
  type CellKey,
  type MeasureCells,
  type MeasureQuery,
  type OutcomeCell,
  type PairCell,
  type StepCell,
} from '../../core/measuring/cells.js';
import type { Millis, Survey, TouchPointStatus } from '../../core/domain.js';
import { baseStepKey } from '../../core/renewalCycle.js';
import { utcDayStart } from '../../core/utcDay.js';
import { AftercareError } from '../../errors.js';
import { parseTouchPointId } from './plan.js';
import { compareText } from './storable.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

function dayStart(field: 'since' | 'until', day: string): Millis {
  const at = utcDayStart(day);
  if (at === null) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      `${field}: must be a day as YYYY-MM-DD, got ${JSON.stringify(day)}`,
      {
        field,
      },
    );
  }
  return at;
}

/** The placed-at window `[from, to)` in ms of the query's days; null ends are open. */
export interface PlacedWindow {
  from: Millis | null;
  to: Millis | null;
  playbook: string | null;
}

export function placedWindow(query: MeasureQuery): PlacedWindow {
  return {
    from: query.since === undefined ? null : dayStart('since', query.since),
    to: query.until === undefined ? null : dayStart('until', query.until) + DAY_MS,
    playbook: query.playbook ?? null,
  };
}

export function inWindow(window: PlacedWindow, playbook: string, placedAt: Millis): boolean {
  return (
    (window.playbook === null || window.playbook === playbook) &&
    (window.from === null || placedAt >= window.from) &&
    (window.to === null || placedAt < window.to)
  );
}

/** `2026-03-02` for a UTC day number (placed_at / DAY_MS, floored). */
export function cohortOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Where an enrollment's counts go, as every store reads it off the enrollment and its order. */
export interface EnrollmentKey {
  playbook: string;
  version: number;
  segment: string;
  placedAt: Millis;
  holdout: boolean;
  /** Order.sequence === 1. */
  firstOrder: boolean;
}

export function cellKeyOf(e: EnrollmentKey): CellKey {
  return {
    playbook: e.playbook,
    version: e.version,
    segment: e.segment,
    cohort: cohortOfDay(Math.floor(e.placedAt / DAY_MS)),
    holdout: e.holdout,
    firstOrder: e.firstOrder,
  };
}

function stepId(key: CellKey, step: string, channel: string, status: string, reason: string | null): string {
  return `${keyText(key)}\u0000${step}\u0000${channel}\u0000${status}\u0000${reason ?? ''}`;
}

function answerId(key: CellKey, step: string | null, survey: string, score: number): string {
  return `${keyText(key)}\u0000${step ?? '\u0001'}\u0000${survey}\u0000${score}`;
}

function pairId(c: Omit<PairCell, 'count'>): string {
  return `${c.playbook}\u0000${c.cohort}\u0000${c.step}\u0000${c.survey}\u0000${c.score}\u0000${c.otherStep}\u0000${c.otherSurvey}\u0000${c.otherScore}`;
}

/**
 * Cells of different days put together (no two share a key, since the cohort is part of it),
 * in the order a tally gives them.
 */
export function sortCells(cells: MeasureCells): MeasureCells {
  const by = <T>(list: readonly T[], id: (cell: T) => string): T[] =>
    list
      .map((cell) => [id(cell), cell] as const)
      .sort((a, b) => compareText(a[0], b[0]))
      .map(([, cell]) => cell);
  return {
    steps: by(cells.steps, (c) => stepId(c, c.step, c.channel, c.status, c.reason)),
    answers: by(cells.answers, (c) => answerId(c, c.step, c.survey, c.score)),
    outcomes: by(cells.outcomes, keyText),
    pairs: by(cells.pairs, pairId),
  };
}

function keyText(k: CellKey): string {
  return `${k.playbook}\u0000${k.version}\u0000${k.segment}\u0000${k.cohort}\u0000${k.holdout ? 1 : 0}\u0000${k.firstOrder ? 1 : 0}`;
}

type OutcomeCounts = Omit<OutcomeCell, keyof CellKey>;

/** Outcome counts with hours still in ms (integers add exactly, in any order, on every store). */
export type OutcomeTally = Omit<OutcomeCounts, 'firstContactHours' | 'resolveHours'> & {
  firstContactMs: number;
  resolveMs: number;
};

/**
 * Adds up cells. Steps are keyed by the playbook's step (`renewal-notice.2` and a follow-up's
 * digest roll into their step: core/renewalCycle.ts baseStepKey); the result is sorted, so two
 * stores holding the same history give equal arrays.
 */
export class CellTally {
  private readonly steps = new Map<string, StepCell>();
  private readonly answers = new Map<string, AnswerCell>();
  private readonly outcomes = new Map<string, OutcomeCell & { firstContactMs: number; resolveMs: number }>();
  private readonly pairs = new Map<string, PairCell>();

  addStep(
    key: CellKey,
    stepKey: string,
    channel: string,
    status: TouchPointStatus,
    reason: string | null,
    counts: { count: number; answers: number; unsubscribes: number },
  ): void {
    const step = baseStepKey(stepKey);
    // A sent touch point has no reason (a deferral's reason may linger on the row): null when sent.
    const why = status === 'sent' ? null : reason;
    const id = stepId(key, step, channel, status, why);
    let cell = this.steps.get(id);
    if (cell === undefined) {
      cell = { ...key, step, channel, status, reason: why, count: 0, answers: 0, unsubscribes: 0 };
      this.steps.set(id, cell);
    }
    cell.count += counts.count;
    cell.answers += counts.answers;
    cell.unsubscribes += counts.unsubscribes;
  }

  addAnswer(key: CellKey, stepKey: string | null, survey: Survey, score: number, count = 1): void {
    const step = stepKey === null ? null : baseStepKey(stepKey);
    const id = answerId(key, step, survey, score);
    let cell = this.answers.get(id);
    if (cell === undefined) {
      cell = { ...key, step, survey, score, count: 0 };
      this.answers.set(id, cell);
    }
    cell.count += count;
  }

  /** `cell.step` must sort before `cell.otherStep` (records/cellTally.ts `addAttributed` orders them). */
  addPair(cell: Omit<PairCell, 'count'>, count = 1): void {
    const id = pairId(cell);
    const found = this.pairs.get(id);
    if (found === undefined) this.pairs.set(id, { ...cell, count });
    else found.count += count;
  }

  addOutcomes(key: CellKey, counts: Partial<OutcomeTally>): void {
    const id = keyText(key);
    let cell = this.outcomes.get(id);
    if (cell === undefined) {
      cell = { ...key, ...NO_OUTCOMES, firstContactMs: 0, resolveMs: 0 };
      this.outcomes.set(id, cell);
    }
    for (const [name, value] of Object.entries(counts) as [keyof OutcomeTally, number][]) {
      cell[name] += value;
    }
  }

  /** What has been added, in the tally's own terms (outcome times still in ms), for storing. */
  raw(): {
    steps: readonly StepCell[];
    answers: readonly AnswerCell[];
    outcomes: readonly (CellKey & OutcomeTally)[];
    pairs: readonly PairCell[];
  } {
    return {
      steps: [...this.steps.values()],
      answers: [...this.answers.values()],
      outcomes: [...this.outcomes.values()],
      pairs: [...this.pairs.values()],
    };
  }

  cells(): MeasureCells {
    const outcomes = [...this.outcomes.entries()].map(([id, c]) => {
      const { firstContactMs, resolveMs, ...cell } = c;
      return [
        id,
        { ...cell, firstContactHours: firstContactMs / HOUR_MS, resolveHours: resolveMs / HOUR_MS },
      ] as const;
    });
    return {
      steps: sorted(this.steps),
      answers: sorted(this.answers),
      outcomes: outcomes.sort((a, b) => compareText(a[0], b[0])).map(([, c]) => c),
      pairs: sorted(this.pairs),
    };
  }
}

function sorted<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort((a, b) => compareText(a[0], b[0])).map(([, v]) => v);
}

/** A `survey.answered` event as the measuring reads it (invalid ones are never counted). */
export interface AnswerEvent {
  id: string;
  customerId: string;
  at: Millis;
  survey: Survey;
  score: number;
  touchPointId: string | null;
}

/** The survey and score of an answer's data, or null when it is not a countable answer. */
export function answerOf(data: Record<string, unknown>): { survey: Survey; score: number } | null {
  const { survey, score } = data;
  if (survey !== 'csat' && survey !== 'nps') return null;
  if (typeof score !== 'number' || !Number.isFinite(score)) return null;
  return { survey, score };
}

/** An enrollment a customer has, as the answer attribution needs it. */
export interface CustomerEnrollment extends EnrollmentKey {
  orderId: string;
}

export interface AttributedAnswer {
  /** The enrollment it counts for (the caller filters by its playbook and placed day). */
  key: CustomerEnrollment;
  /** The step of the touch point answered (raw step key), null for an answer without one. */
  stepKey: string | null;
  survey: Survey;
  score: number;
}

/**
 * Which enrollment each answer counts for, and which answers count at all:
 * - an answer naming a touch point (`data.touchPointId`) whose enrollment is stored counts for
 *   that enrollment and step; one customer's answers to the same touch point count once, the
 *   latest (by time, then event id) — the survey page lets people change their answer;
 * - any other answer counts for the customer's enrollment of the latest order placed at or before
 *   the answer (ties: the larger order id, then playbook name), with step null; an answer older
 *   than all their orders counts nowhere.
 * `enrollmentsOf` gives a customer's enrollments (the touch point must be one of the answering
 * customer's own: an API caller naming another's is not trusted with it). Filtering comes after attribution, so filtered cells are a subset of the
 * unfiltered ones.
 */
export function attributeAnswers(
  answers: readonly AnswerEvent[],
  enrollmentsOf: (customerId: string) => readonly CustomerEnrollment[],
): AttributedAnswer[] {
  const latest = new Map<string, { answer: AnswerEvent; key: CustomerEnrollment; stepKey: string }>();
  const out: AttributedAnswer[] = [];
  for (const a of answers) {
    const parsed = a.touchPointId === null ? null : parseTouchPointId(a.touchPointId);
    const carrier =
      parsed === null
        ? undefined
        : enrollmentsOf(a.customerId).find(
            (e) => e.playbook === parsed.playbook && e.orderId === parsed.orderId,
          );
    if (parsed !== null && carrier !== undefined) {
      const id = `${a.customerId}\u0000${a.touchPointId!}`;
      const seen = latest.get(id);
      if (
        seen === undefined ||
        a.at > seen.answer.at ||
        (a.at === seen.answer.at && compareText(a.id, seen.answer.id) > 0)
      ) {
        latest.set(id, { answer: a, key: carrier, stepKey: parsed.step });
      }
      continue;
    }
    let best: CustomerEnrollment | null = null;
    for (const e of enrollmentsOf(a.customerId)) {
      if (e.placedAt > a.at) continue;
      if (
        best === null ||
        e.placedAt > best.placedAt ||
        (e.placedAt === best.placedAt &&
          (compareText(e.orderId, best.orderId) > 0 ||
            (e.orderId === best.orderId && compareText(e.playbook, best.playbook) > 0)))
      ) {
        best = e;
      }
    }
    if (best !== null) out.push({ key: best, stepKey: null, survey: a.survey, score: a.score });
  }
  for (const { answer, key, stepKey } of latest.values()) {
    out.push({ key, stepKey, survey: answer.survey, score: answer.score });
  }
  return out;
}

/**
 * Adds attributed answers (attributeAnswers) to `tally`: each as an answer cell, and every two of
 * them about the same order (its enrollment) to different steps as a pair cell. `holds` says
 * which enrollments the count covers (the query's window, a fold's days).
 */
export function addAttributed(
  tally: CellTally,
  answers: readonly AttributedAnswer[],
  holds: (key: EnrollmentKey) => boolean,
): void {
  type Scored = { step: string; survey: Survey; score: number };
  const byEnrollment = new Map<string, { playbook: string; cohort: string; answers: Scored[] }>();
  for (const a of answers) {
    if (!holds(a.key)) continue;
    const key = cellKeyOf(a.key);
    tally.addAnswer(key, a.stepKey, a.survey, a.score);
    if (a.stepKey === null) continue;
    const id = `${a.key.playbook}\u0000${a.key.orderId}`;
    const scored = { step: baseStepKey(a.stepKey), survey: a.survey, score: a.score };
    const found = byEnrollment.get(id);
    if (found === undefined)
      byEnrollment.set(id, { playbook: key.playbook, cohort: key.cohort, answers: [scored] });
    else found.answers.push(scored);
  }
  for (const { playbook, cohort, answers: list } of byEnrollment.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const order = compareText(list[i]!.step, list[j]!.step);
        if (order === 0) continue;
        const [x, y] = order < 0 ? [list[i]!, list[j]!] : [list[j]!, list[i]!];
        tally.addPair({
          playbook,
          cohort,
          step: x.step,
          survey: x.survey,
          score: x.score,
          otherStep: y.step,
          otherSurvey: y.survey,
          otherScore: y.score,
        });
      }
    }
  }
}
