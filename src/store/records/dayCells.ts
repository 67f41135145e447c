// One placed day's cells as stored text (sql/measuring.ts keeps one per day): compact arrays,
// the day's cohort left out, outcome times in ms as the tally adds them, so a day read back and
// added to a tally gives exactly what counting it again would. Repeat purchases are stored as
// if every order were old enough to tell; `decodeDay` applies the reader's cut.
import type { CellKey, MeasureCells } from '../../core/measuring/cells.js';
import type { Survey, TouchPointStatus } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import { HOUR_MS, cohortOfDay, type CellTally } from './cellTally.js';

type Key = [playbook: string, version: number, segment: string, holdout: 0 | 1, first: 0 | 1];

interface DayCellsText {
  /** DAY_CELLS_VERSION: 2 since pairs are kept (0019-measure-pairs marked the days stored before). */
  v: number;
  s: [
    ...Key,
    step: string,
    channel: string,
    status: string,
    reason: string | null,
    n: number,
    a: number,
    u: number,
  ][];
  a: [...Key, step: string | null, survey: string, score: number, n: number][];
  o: [...Key, ...counts: (number | number[])[]][];
  p: [
    playbook: string,
    step: string,
    survey: string,
    score: number,
    otherStep: string,
    otherSurvey: string,
    otherScore: number,
    n: number,
  ][];
}

/** The outcome counts in stored order. */
const OUTCOMES = [
  'enrollments',
  'returned',
  'cancelled',
  'repeat90Eligible',
  'repeat90',
  'repeat180Eligible',
  'repeat180',
  'firstContacts',
  'firstContactMs',
  'concernsOpened',
  'concernsResolved',
  'resolveMs',
  'slaBreaches',
] as const;

function keyOf(k: CellKey): Key {
  return [k.playbook, k.version, k.segment, k.holdout ? 1 : 0, k.firstOrder ? 1 : 0];
}

/** One day's cells, as CellTally.raw() gives them. */
export type RawCells = ReturnType<CellTally['raw']>;

/** An enrollment of the day: when placed, and whether the next order came within 90 / 180 days. */
export interface DayRepeat {
  key: { playbook: string; version: number; segment: string; holdout: boolean; firstOrder: boolean };
  placedAt: number;
  next90: boolean;
  next180: boolean;
}

function keyId(k: DayRepeat['key']): string {
  return `${k.playbook}\u0000${k.version}\u0000${k.segment}\u0000${k.holdout ? 1 : 0}\u0000${k.firstOrder ? 1 : 0}`;
}

/**
 * One day's cells as text. Each outcome row ends with its enrollments' repeat facts, flattened
 * `[ms into the day, bits (1: next order within 90 days, 2: within 180)], ...`, for a reader whose
 * repeat cut falls on this day.
 */
export function encodeDay(raw: RawCells, repeats: readonly DayRepeat[] = []): string {
  const facts = new Map<string, number[]>();
  for (const r of repeats) {
    const id = keyId(r.key);
    let list = facts.get(id);
    if (list === undefined) facts.set(id, (list = []));
    list.push(r.placedAt % 86_400_000, (r.next90 ? 1 : 0) | (r.next180 ? 2 : 0));
  }
  const text: DayCellsText = {
    v: DAY_CELLS_VERSION,
    s: raw.steps.map((c) => [
      ...keyOf(c),
      c.step,
      c.channel,
      c.status,
      c.reason,
      c.count,
      c.answers,
      c.unsubscribes,
    ]),
    a: raw.answers.map((c) => [...keyOf(c), c.step, c.survey, c.score, c.count]),
    o: raw.outcomes.map((c) => [...keyOf(c), ...OUTCOMES.map((name) => c[name]), facts.get(keyId(c)) ?? []]),
    p: raw.pairs.map((c) => [
      c.playbook,
      c.step,
      c.survey,
      c.score,
      c.otherStep,
      c.otherSurvey,
      c.otherScore,
      c.count,
    ]),
  };
  return JSON.stringify(text);
}

/** A tally's cells split by the day their orders were placed on (day number). */
export function splitByDay(raw: RawCells): Map<number, RawCells> {
  const days = new Map<
    number,
    {
      steps: RawCells['steps'][number][];
      answers: RawCells['answers'][number][];
      outcomes: RawCells['outcomes'][number][];
      pairs: RawCells['pairs'][number][];
    }
  >();
  const of = (cohort: string) => {
    const day = Date.parse(`${cohort}T00:00:00Z`) / 86_400_000;
    let found = days.get(day);
    if (found === undefined) days.set(day, (found = { steps: [], answers: [], outcomes: [], pairs: [] }));
    return found;
  };
  for (const c of raw.steps) of(c.cohort).steps.push(c);
  for (const c of raw.answers) of(c.cohort).answers.push(c);
  for (const c of raw.outcomes) of(c.cohort).outcomes.push(c);
  for (const c of raw.pairs) of(c.cohort).pairs.push(c);
  return days;
}

export interface DecodeOptions {
  /** Only this playbook's cells; null: all. */
  playbook: string | null;
  /**
   * Which of the day's orders are old enough to count repeat purchases within 90 / 180 days:
   * all, none, or those placed at or before this time (ms; the cut falls on this day).
   */
  repeat90: boolean | number;
  repeat180: boolean | number;
}

/** Eligible orders and repeats among them, for a cut inside the day. */
function repeatsAt(facts: readonly number[], dayStart: number, cut: number, bit: number): [number, number] {
  let eligible = 0;
  let repeated = 0;
  for (let i = 0; i < facts.length; i += 2) {
    if (dayStart + facts[i]! > cut) continue;
    eligible += 1;
    if ((facts[i + 1]! & bit) !== 0) repeated += 1;
  }
  return [eligible, repeated];
}

/** The version encodeDay writes; a day stored by an older one lacks cells and is counted afresh. */
export const DAY_CELLS_VERSION = 2;

/**
 * A stored day's cells, appended to `into` as a tally would give them (the day's cells are
 * its own: no other day shares a key, so nothing needs adding up; sortCells orders the whole).
 * False, and nothing appended, when the day was stored by an older version (a worker of the
 * previous release folding during an upgrade): the caller counts that day instead.
 */
export function decodeDay(text: string, day: number, into: MeasureCells, options: DecodeOptions): boolean {
  let parsed: DayCellsText;
  try {
    parsed = JSON.parse(text) as DayCellsText;
  } catch (error) {
    throw new AftercareError(
      'AFTERCARE_E_STORE',
      `the stored cells of day ${cohortOfDay(day)} are not readable`,
      { day },
      { cause: error },
    );
  }
  if (parsed.v !== DAY_CELLS_VERSION) return false;
  // Plain object literals, one shape per kind (spreading a key into each cell was 10x slower).
  const cohort = cohortOfDay(day);
  const only = options.playbook;
  for (const r of parsed.s) {
    if (only !== null && r[0] !== only) continue;
    into.steps.push({
      playbook: r[0],
      version: r[1],
      segment: r[2],
      cohort,
      holdout: r[3] === 1,
      firstOrder: r[4] === 1,
      step: r[5],
      channel: r[6],
      status: r[7] as TouchPointStatus,
      reason: r[8],
      count: r[9],
      answers: r[10],
      unsubscribes: r[11],
    });
  }
  for (const r of parsed.a) {
    if (only !== null && r[0] !== only) continue;
    into.answers.push({
      playbook: r[0],
      version: r[1],
      segment: r[2],
      cohort,
      holdout: r[3] === 1,
      firstOrder: r[4] === 1,
      step: r[5],
      survey: r[6] as Survey,
      score: r[7],
      count: r[8],
    });
  }
  const dayStart = day * 86_400_000;
  const r90 = options.repeat90;
  const r180 = options.repeat180;
  for (const r of parsed.o) {
    if (only !== null && r[0] !== only) continue;
    const facts = (r[18] ?? []) as number[];
    const [e90, n90] =
      typeof r90 === 'number'
        ? repeatsAt(facts, dayStart, r90, 1)
        : r90
          ? [r[8] as number, r[9] as number]
          : [0, 0];
    const [e180, n180] =
      typeof r180 === 'number'
        ? repeatsAt(facts, dayStart, r180, 2)
        : r180
          ? [r[10] as number, r[11] as number]
          : [0, 0];
    // OUTCOMES' order, from index 5.
    into.outcomes.push({
      playbook: r[0],
      version: r[1],
      segment: r[2],
      cohort,
      holdout: r[3] === 1,
      firstOrder: r[4] === 1,
      enrollments: r[5] as number,
      returned: r[6] as number,
      cancelled: r[7] as number,
      repeat90Eligible: e90,
      repeat90: n90,
      repeat180Eligible: e180,
      repeat180: n180,
      firstContacts: r[12] as number,
      firstContactHours: (r[13] as number) / HOUR_MS,
      concernsOpened: r[14] as number,
      concernsResolved: r[15] as number,
      resolveHours: (r[16] as number) / HOUR_MS,
      slaBreaches: r[17] as number,
    });
  }
  for (const r of parsed.p) {
    if (only !== null && r[0] !== only) continue;
    into.pairs.push({
      playbook: r[0],
      cohort,
      step: r[1],
      survey: r[2] as Survey,
      score: r[3],
      otherStep: r[4],
      otherSurvey: r[5] as Survey,
      otherScore: r[6],
      count: r[7],
    });
  }
  return true;
}
