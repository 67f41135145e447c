// Reads an orders CSV and an optional events CSV into one list of domain events, for the
// commands that need them all at once (simulate, the demo). Bad rows are collected, not thrown.
import type { DomainEvent } from '../../core/domain.js';
import { readEventsCsv } from './events.js';
import { readOrdersCsv } from './orders.js';
import type { CsvRowError } from './rowError.js';

export interface CollectedCsv {
  events: DomainEvent[];
  errors: CsvRowError[];
  orders: number;
  rejectedRows: number;
}

export async function collectCsvEvents(input: {
  orders: string;
  events?: string | null;
  defaultTimezone?: string;
}): Promise<CollectedCsv> {
  const options = input.defaultTimezone ? { defaultTimezone: input.defaultTimezone } : {};
  const result: CollectedCsv = { events: [], errors: [], orders: 0, rejectedRows: 0 };
  for await (const item of readOrdersCsv(input.orders, options)) {
    if (item.kind === 'order') {
      result.orders++;
      result.events.push(...item.events);
    } else {
      result.rejectedRows += item.rows;
      result.errors.push(...item.errors);
    }
  }
  if (input.events) {
    for await (const item of readEventsCsv(input.events, options)) {
      if (item.kind === 'event') result.events.push(item.event);
      else {
        result.rejectedRows++;
        result.errors.push(...item.errors);
      }
    }
  }
  return result;
}
