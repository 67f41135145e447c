// Measuring on SQL: the report's cells kept per placed day (schema/measuring.ts). Writes mark
// the days they change (triggers); `fold` counts marked days with the same queries a full
// recount uses (sql/measuringCount.ts) and stores them; `cells` adds the stored days to a
// fresh count of the days still marked, plus the two days the report's repeat-purchase cut
// falls on, all in one snapshot. A report on 1,000,000 orders thus reads about 400 rows and
// counts a few recent days instead of scanning the history.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { MeasureCells, MeasureLag, MeasureQuery } from '../../core/measuring/cells.js';
import type { FoldResult, MeasuringStore } from '../ports/measuring.js';
import { CellTally, DAY_MS, placedWindow, sortCells, type PlacedWindow } from '../records/cellTally.js';
import { decodeDay, encodeDay, splitByDay, type DayRepeat } from '../records/dayCells.js';
import type { SqlHandle } from './db.js';
import { SqlCellCount, rangesOfDays } from './measuringCount.js';
import type { Tables } from './tables.js';

/** The time a fold counts repeat purchases at: every order old enough (the reader cuts). */
const END_OF_TIME = 8_640_000_000_000_000;
/** A fold that took days this long ago and never stored them died; another takes them over. */
const FOLD_ABANDONED_MS = 5 * 60_000;

interface MeasureTables {
  measure_days: { day: number; cells: string; counted_at: number };
  measure_dirty: { day: number };
  measure_folding: { day: number; fold: string; taken_at: number };
}

type Db = Kysely<Tables & MeasureTables>;

export class SqlMeasuring implements MeasuringStore {
  private readonly counter: SqlCellCount;
  private readonly db: Db;

  constructor(
    private readonly handle: SqlHandle,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.counter = new SqlCellCount(handle);
    this.db = handle.db;
  }

  async cells(query: MeasureQuery): Promise<MeasureCells> {
    const window = placedWindow(query);
    const cut90 = Math.floor((query.asOf - 90 * DAY_MS) / DAY_MS);
    const cut180 = Math.floor((query.asOf - 180 * DAY_MS) / DAY_MS);
    const read = async (trx: Db): Promise<MeasureCells> => {
      const marked = await trx
        .selectFrom('measure_dirty')
        .select('day')
        .union(trx.selectFrom('measure_folding').select('day'))
        .execute();
      const live = new Set(marked.map((r) => Number(r.day)).filter((d) => inDays(window, d)));
      const cut90At = query.asOf - 90 * DAY_MS;
      const cut180At = query.asOf - 180 * DAY_MS;
      // A changed day counted recently enough is read as counted, if the query allows a lag.
      const lagFloor = (query.maxLagMs ?? 0) > 0 ? this.wallNow() - query.maxLagMs! : null;
      let lag: MeasureLag | undefined;
      let stored = trx.selectFrom('measure_days').select(['day', 'cells', 'counted_at']);
      if (window.from !== null) stored = stored.where('day', '>=', window.from / DAY_MS);
      if (window.to !== null) stored = stored.where('day', '<', window.to / DAY_MS);
      const cells: MeasureCells = { steps: [], answers: [], outcomes: [], pairs: [] };
      for (const row of await stored.execute()) {
        const day = Number(row.day);
        const countedAt = Number(row.counted_at);
        const lagged = live.has(day);
        if (lagged && (lagFloor === null || countedAt < lagFloor)) continue;
        const current = decodeDay(row.cells, day, cells, {
          playbook: window.playbook,
          repeat90: day === cut90 ? cut90At : day < cut90,
          repeat180: day === cut180 ? cut180At : day < cut180,
        });
        if (!current) live.add(day);
        else if (lagged) {
          live.delete(day);
          lag = { days: (lag?.days ?? 0) + 1, countedAt: Math.min(lag?.countedAt ?? countedAt, countedAt) };
        }
      }
      const tally = new CellTally();
      await this.counter.count(trx, tally, window, query.asOf, rangesOfDays(live));
      const counted = tally.cells();
      const all = sortCells({
        steps: cells.steps.concat(counted.steps),
        answers: cells.answers.concat(counted.answers),
        outcomes: cells.outcomes.concat(counted.outcomes),
        pairs: cells.pairs.concat(counted.pairs),
      });
      return lag === undefined ? all : { ...all, lag };
    };
    // One snapshot: the marks, the stored days and the fresh count agree with each other.
    if (this.handle.dialect === 'postgres') {
      return this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          await withoutJit(trx);
          return read(trx);
        });
    }
    return this.db.transaction().execute((trx) => read(trx));
  }

  async fold(maxDays = 8): Promise<FoldResult> {
    const limit = Math.max(1, Math.floor(maxDays));
    const fold = randomUUID();
    const now = this.wallNow();
    let days: number[];
    if (this.handle.dialect === 'sqlite') {
      // One write transaction: nothing else writes while the days are counted and stored.
      days = await this.db.transaction().execute(async (trx) => {
        const taken = (await nextDays(trx, limit).execute()).map((r) => Number(r.day));
        await this.store(trx, taken, now);
        if (taken.length > 0) await trx.deleteFrom('measure_dirty').where('day', 'in', taken).execute();
        return taken;
      });
    } else {
      days = await this.take(fold, limit, now);
      if (days.length > 0) {
        await this.db.transaction().execute(async (trx) => {
          await this.store(trx, days, now);
          await trx.deleteFrom('measure_folding').where('fold', '=', fold).execute();
        });
      }
    }
    const left = await this.db
      .selectFrom('measure_dirty')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return { folded: days.length, pending: Number(left.n) };
  }

  /**
   * PostgreSQL: moves marked days to measure_folding under a lock that waits for every
   * transaction that marked a day to end, so the count that follows sees their writes; a write
   * after this marks the day again. Also takes over the days of a fold that died.
   */
  private async take(fold: string, limit: number, now: number): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL lock_timeout = '10s'`.execute(trx);
      await sql`LOCK TABLE ${sql.table(`${this.handle.schema}.measure_dirty`)} IN SHARE ROW EXCLUSIVE MODE`.execute(
        trx,
      );
      const abandoned = await trx
        .updateTable('measure_folding')
        .set({ fold, taken_at: now })
        .where('taken_at', '<', now - FOLD_ABANDONED_MS)
        .returning('day')
        .execute();
      const room = limit - abandoned.length;
      const taken =
        room <= 0
          ? []
          : await trx
              .deleteFrom('measure_dirty')
              .where('day', 'in', () => nextDays(trx, room))
              .returning('day')
              .execute();
      if (taken.length > 0) {
        await trx
          .insertInto('measure_folding')
          .values(taken.map((r) => ({ day: r.day, fold, taken_at: now })))
          .onConflict((oc) => oc.column('day').doUpdateSet({ fold, taken_at: now }))
          .execute();
      }
      return [...abandoned, ...taken].map((r) => Number(r.day));
    });
  }

  /** Counts `days` and replaces their stored cells (a day without cells keeps no row). */
  private async store(trx: Transaction<Tables & MeasureTables>, days: number[], now: number): Promise<void> {
    if (days.length === 0) return;
    if (this.handle.dialect === 'postgres') await withoutJit(trx);
    const tally = new CellTally();
    const all: PlacedWindow = { from: null, to: null, playbook: null };
    const ranges = rangesOfDays(days);
    const db = trx as unknown as Kysely<Tables>;
    await this.counter.count(db, tally, all, END_OF_TIME, ranges);
    const repeats = new Map<number, DayRepeat[]>();
    for (const fact of await this.counter.repeatFacts(db, ranges)) {
      const day = Math.floor(fact.key.placedAt / DAY_MS);
      const entry: DayRepeat = { ...fact, placedAt: fact.key.placedAt };
      const list = repeats.get(day);
      if (list === undefined) repeats.set(day, [entry]);
      else list.push(entry);
    }
    await trx.deleteFrom('measure_days').where('day', 'in', days).execute();
    const rows = [...splitByDay(tally.raw())].map(([day, raw]) => ({
      day,
      cells: encodeDay(raw, repeats.get(day)),
      counted_at: now,
    }));
    for (let i = 0; i < rows.length; i += 100) {
      await trx
        .insertInto('measure_days')
        .values(rows.slice(i, i + 100))
        .execute();
    }
  }
}

/**
 * The marked days a fold takes next: those never stored first (new days), then those stored
 * longest ago. A busy store marks its newest days again within seconds (new orders, thank-you
 * notes); taking the newest first, as the fold once did, kept refolding them while a day marked
 * by a week's or a month's check-ins waited behind them for as long as the store stayed busy.
 */
function nextDays(db: Db, limit: number) {
  return db
    .selectFrom('measure_dirty as d')
    .leftJoin('measure_days as s', 's.day', 'd.day')
    .select('d.day')
    .orderBy(sql`coalesce(s.counted_at, -1)`)
    .orderBy('d.day', 'desc')
    .limit(limit);
}

/**
 * PostgreSQL compiles a query whose estimated cost passes jit_above_cost to machine code first.
 * A day's count (a few thousand orders, estimated high because of its joins) spent more time
 * compiling than running: about 0.3 s of a 1 s count (docs/benchmarks.md). Off for this
 * transaction only.
 */
async function withoutJit(trx: Transaction<Tables & MeasureTables>): Promise<void> {
  await sql`SET LOCAL jit = off`.execute(trx);
}

/** Whether a day lies in the window's placed days. */
function inDays(window: PlacedWindow, day: number): boolean {
  const at = day * DAY_MS;
  return (window.from === null || at >= window.from) && (window.to === null || at < window.to);
}
