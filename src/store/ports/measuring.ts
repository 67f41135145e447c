// The measuring capability: additive cells for the report (core/measuring/cells.ts). Every store
// answers the same query with the same cells (test/store-contract).
import type { MeasureCells, MeasureQuery } from '../../core/measuring/cells.js';

export interface MeasuringStore {
  cells(query: MeasureQuery): Promise<MeasureCells>;
}
