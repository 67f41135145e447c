// One placed day's cells as stored text (sql/measuring.ts keeps one per day): compact arrays,
// the day's cohort left out, outcome times in ms as the tally adds them, so a day read back and
// added to a tally gives exactly what counting it again would. Repeat purchases are stored as
// if every order were old enough to tell; `decodeDay` applies the reader's cut.
import type { CellKey } from '../../core/measuring/cells.js';
import type { Survey, TouchPointStatus } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import type { CellTally } from './cellTally.js';
import { cohortOfDay } from './cellTally.js';

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

/** Adds a stored day's cells to `tally`. */
export function decodeDay(text: string, day: number, tally: CellTally, options: DecodeOptions): void {
  let parsed: DayCellsText;
  try {
    parsed = JSON.parse(text) as DayCellsText;
  } catch (error) {
    throw new AftercareError(
      'AFTERCARE_E_STORE',
      `the stored cells of day ${cohortOfDay(day)} are not readable`,
      {
        day,
      },
      { cause: error },
    );
  }
  const cohort = cohortOfDay(day);
  const keyAt = (row: readonly unknown[]): CellKey | null => {
    const [playbook, version, segment, holdout, first] = row as Key;
    if (options.playbook !== null && playbook !== options.playbook) return null;
    return { playbook, version, segment, cohort, holdout: holdout === 1, firstOrder: first === 1 };
  };
  for (const row of parsed.s) {
    const key = keyAt(row);
    if (key === null) continue;
    const [, , , , , step, channel, status, reason, count, answers, unsubscribes] = row;
    tally.addStep(key, step, channel, status as TouchPointStatus, reason, { count, answers, unsubscribes });
  }
  for (const row of parsed.a) {
    const key = keyAt(row);
    if (key === null) continue;
    const [, , , , , step, survey, score, count] = row;
    tally.addAnswer(key, step, survey as Survey, score, count);
  }
  for (const row of parsed.o) {
    const key = keyAt(row);
    if (key === null) continue;
    const counts = Object.fromEntries(OUTCOMES.map((name, i) => [name, row[5 + i] as number]));
    if (!options.repeat90) counts.repeat90Eligible = counts.repeat90 = 0;
    if (!options.repeat180) counts.repeat180Eligible = counts.repeat180 = 0;
    tally.addOutcomes(key, counts);
  }
}
