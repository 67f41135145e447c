// The orders a dashboard simulation runs on, read the way `aftercare simulate` reads them: the
// sample orders `aftercare demo-data` writes (deterministic for a seed), pasted orders CSV (and
// an optional events CSV) read by the import's own CSV reader, or pasted JSON in the body format
// of POST /api/v1/events. Pasted text is bounded; bad rows come back with their line, named
// after what was pasted rather than the temporary file they were read from.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent, Millis } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import { collectCsvEvents } from '../../integrations/csv/collect.js';
import type { CsvRowError } from '../../integrations/csv/rowError.js';
import { writeDemoCsv } from '../../integrations/demo/csv.js';
import { generateDemoOrders } from '../../integrations/demo/generate.js';
import { eventBatchInput } from '../schemas/inputs.js';
import { domainEvent } from '../toEvents.js';
import { parseInput } from '../validate.js';

/** Pasted text at most this long (each of orders and events). */
export const MAX_PASTED_BYTES = 64 * 1024;
/** Sample orders at most (SIMULATION_LIMITS.orders bounds every kind of input). */
export const MAX_SAMPLE_ORDERS = 50;
/** `aftercare demo-data`'s default: orders placed over the 30 days before the start. */
const SAMPLE_PAST_DAYS = 30;

export interface SimulationOrders {
  events: DomainEvent[];
  /** Rows that could not be read: those orders are left out, the rest simulated. */
  errors: CsvRowError[];
}

export type OrdersInput =
  | { kind: 'sample'; orders: number; seed: string; start: Millis }
  | { kind: 'csv'; orders: string; events: string }
  | { kind: 'json'; text: string };

export async function simulationOrders(
  input: OrdersInput,
  defaultTimezone: string,
): Promise<SimulationOrders> {
  switch (input.kind) {
    case 'sample':
      return sampleOrders(input, defaultTimezone);
    case 'csv':
      checkSize('orders', input.orders);
      checkSize('events', input.events);
      if (input.orders.trim() === '') {
        throw new AftercareError(
          'AFTERCARE_E_INPUT_INVALID',
          'orders: paste an orders CSV (with its header row)',
          {
            field: 'orders',
          },
        );
      }
      return withFolder(async (dir) => {
        const orders = join(dir, 'orders.csv');
        const events = input.events.trim() === '' ? null : join(dir, 'events.csv');
        await writeFile(orders, input.orders);
        if (events !== null) await writeFile(events, input.events);
        const csv = await collectCsvEvents({ orders, events, defaultTimezone });
        const named = (file: string): string =>
          file === orders ? 'pasted orders' : file === events ? 'pasted events' : file;
        return {
          events: csv.events,
          errors: csv.errors.map((error) => ({ ...error, file: named(error.file) })),
        };
      });
    case 'json': {
      checkSize('orders', input.text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.text);
      } catch (error) {
        throw new AftercareError(
          'AFTERCARE_E_INPUT_INVALID',
          `orders: not JSON (${error instanceof Error ? error.message : 'unreadable'})`,
          { field: 'orders' },
        );
      }
      return { events: parseInput(eventBatchInput, parsed, 'body').events.map(domainEvent), errors: [] };
    }
  }
}

function checkSize(field: string, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PASTED_BYTES) {
    throw new AftercareError(
      'AFTERCARE_E_PAYLOAD_TOO_LARGE',
      `${field}: ${bytes} bytes pasted; at most ${MAX_PASTED_BYTES} (64 KiB) are simulated here (use aftercare simulate for more)`,
      { field, limit: MAX_PASTED_BYTES },
    );
  }
}

/** What `aftercare demo-data --orders N --seed S --events FILE` writes, read back as simulate reads it. */
async function sampleOrders(
  input: { orders: number; seed: string; start: Millis },
  defaultTimezone: string,
): Promise<SimulationOrders> {
  if (!Number.isInteger(input.orders) || input.orders < 1 || input.orders > MAX_SAMPLE_ORDERS) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      `sample: the number of sample orders must be from 1 to ${MAX_SAMPLE_ORDERS}`,
      { field: 'sample' },
    );
  }
  const seed = input.seed.trim();
  if (seed === '' || seed.length > 100) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'seed: must be 1 to 100 characters', {
      field: 'seed',
    });
  }
  return withFolder(async (dir) => {
    const orders = join(dir, 'orders.csv');
    const events = join(dir, 'events.csv');
    await writeDemoCsv(
      generateDemoOrders({ orders: input.orders, seed, start: input.start, pastDays: SAMPLE_PAST_DAYS }),
      orders,
      events,
    );
    const csv = await collectCsvEvents({ orders, events, defaultTimezone });
    return { events: csv.events, errors: csv.errors };
  });
}

async function withFolder<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-simulate-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
