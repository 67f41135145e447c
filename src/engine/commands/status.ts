// What the store holds, at a glance: customers, orders, events, touch points and tasks by status
// (`aftercare status`, the dashboard's header).
import type { ReadStore, StatusCounts } from '../../store/ports/reads.js';

export interface StatusCommands {
  counts(): Promise<StatusCounts>;
}

export function statusCommands(deps: { reads: Pick<ReadStore, 'counts'> }): StatusCommands {
  return { counts: () => deps.reads.counts() };
}
