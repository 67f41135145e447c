// The measuring capability: additive cells for the report (core/measuring/cells.ts). Every store
// answers the same query with the same cells (test/store-contract). A SQL store keeps the cells
// per placed day and recounts only the days that changed (`fold`, a periodic job); its answer is
// always current: days not yet folded are counted when asked.
import type { MeasureCells, MeasureQuery } from '../../core/measuring/cells.js';

export interface FoldResult {
  /** Days counted and stored by this call. */
  folded: number;
  /** Days still waiting to be counted. */
  pending: number;
}

export interface MeasuringStore {
  cells(query: MeasureQuery): Promise<MeasureCells>;
  /** Counts and stores up to `maxDays` changed days (default 8). The memory store counts on every read. */
  fold(maxDays?: number): Promise<FoldResult>;
}
