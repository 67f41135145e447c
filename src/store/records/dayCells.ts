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
  v: 1;
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
  o: [...Key, ...counts: number[]][];
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

/** One day's cells as text. */
export function encodeDay(raw: RawCells): string {
  const text: DayCellsText = {
    v: 1,
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
    o: raw.outcomes.map((c) => [...keyOf(c), ...OUTCOMES.map((name) => c[name])]),
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
    }
  >();
  const of = (cohort: string) => {
    const day = Date.parse(`${cohort}T00:00:00Z`) / 86_400_000;
    let found = days.get(day);
    if (found === undefined) days.set(day, (found = { steps: [], answers: [], outcomes: [] }));
    return found;
  };
  for (const c of raw.steps) of(c.cohort).steps.push(c);
  for (const c of raw.answers) of(c.cohort).answers.push(c);
  for (const c of raw.outcomes) of(c.cohort).outcomes.push(c);
  return days;
}

export interface DecodeOptions {
  /** Only this playbook's cells; null: all. */
  playbook: string | null;
  /** Whether the day's orders are old enough to count repeat purchases within 90 / 180 days. */
  repeat90: boolean;
  repeat180: boolean;
}

/**
 * A stored day's cells, appended to `into` as a tally would give them (the day's cells are
 * its own: no other day shares a key, so nothing needs adding up; sortCells orders the whole).
 */
export function decodeDay(text: string, day: number, into: MeasureCells, options: DecodeOptions): void {
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
  const r90 = options.repeat90;
  const r180 = options.repeat180;
  for (const r of parsed.o) {
    if (only !== null && r[0] !== only) continue;
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
      repeat90Eligible: r90 ? (r[8] as number) : 0,
      repeat90: r90 ? (r[9] as number) : 0,
      repeat180Eligible: r180 ? (r[10] as number) : 0,
      repeat180: r180 ? (r[11] as number) : 0,
      firstContacts: r[12] as number,
      firstContactHours: (r[13] as number) / HOUR_MS,
      concernsOpened: r[14] as number,
      concernsResolved: r[15] as number,
      resolveHours: (r[16] as number) / HOUR_MS,
      slaBreaches: r[17] as number,
    });
  }
}
