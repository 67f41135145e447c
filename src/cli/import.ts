// `aftercare import FILE.csv [--events FILE.csv]`: streams orders (then lifecycle events) into
// the store through the ingest command (the engine's intake), in batches, and reports what
// changed and which rows were refused.
import { basename } from 'node:path';
import { compose } from '../app/compose.js';
import type { DomainEvent } from '../core/domain.js';
import { loadConfig } from '../config.js';
import { redactUrl } from '../config/redact.js';
import { ingestOutcome, type IngestCommands } from '../engine/commands/ingest.js';
import type { IntakeRejection } from '../engine/intake.js';
import { readEventsCsv } from '../integrations/csv/events.js';
import { readOrdersCsv } from '../integrations/csv/orders.js';
import { fileSize } from '../integrations/csv/records.js';
import { formatRowError, type CsvRowError } from '../integrations/csv/rowError.js';
import type { IntakeResult } from '../store/ports/intake.js';
import { EXIT_OK, EXIT_REJECTED } from './exit.js';
import { Progress } from './progress.js';

export interface ImportOptions {
  events?: string;
}

/** Events per intake call: big enough to amortize the transaction, small enough to stay flat in memory. */
const BATCH = 2000;
/** Bad rows kept for the report; beyond this they are only counted. */
const MAX_SHOWN = 10_000;

export interface ImportTally {
  ordersImported: number;
  ordersDuplicate: number;
  eventsImported: number;
  eventsDuplicate: number;
  touchPointsPlanned: number;
  touchPointsCancelled: number;
  /** Events about people who were erased: refused by intake, counted, not an error. */
  eventsErased: number;
  rowsRejected: number;
  problems: CsvRowError[];
  /** Problems beyond MAX_SHOWN: counted, not kept. */
  problemsNotShown: number;
}

interface Pending {
  event: DomainEvent;
  file: string;
  line: number;
}

const REJECTION_TEXT: Record<IntakeRejection, { field: string; text: (e: DomainEvent) => string }> = {
  unknown_order: {
    field: 'order_id',
    text: (e) => `no order "${e.orderId ?? ''}" is known; import its order first`,
  },
  unknown_customer: { field: 'customer_id', text: () => 'no customer is known for this event' },
  missing_order_id: { field: 'order_id', text: () => 'is required for this event type' },
  invalid_time: { field: 'at', text: () => 'is not a valid time' },
  // Counted apart (Importer.count), never shown: the row is about a person who asked to be erased.
  erased: { field: '(row)', text: () => 'is about a person who was erased' },
  implausible_time: {
    field: 'at',
    text: (e) => `${timeText(e.at)} is before 2000 or more than a year ahead of now`,
  },
  reserved_id: {
    field: 'id',
    text: () => 'must not end with ":contact" (kept for events Aftercare records)',
  },
  implausible_order_time: {
    field: 'placed_at',
    text: () =>
      'an order time (placed, shipped, delivered) is before 2000 or more than a year ahead of now, or a promise or renewal more than 5 years ahead',
  },
};

/** An ISO time where there is one (Date cannot show years past 275760). */
function timeText(at: number): string {
  return Math.abs(at) <= 8.64e15 ? new Date(at).toISOString() : String(at);
}

class Importer {
  readonly tally: ImportTally = {
    ordersImported: 0,
    ordersDuplicate: 0,
    eventsImported: 0,
    eventsDuplicate: 0,
    touchPointsPlanned: 0,
    touchPointsCancelled: 0,
    eventsErased: 0,
    rowsRejected: 0,
    problems: [],
    problemsNotShown: 0,
  };
  private pending: Pending[] = [];

  constructor(private readonly ingest: IngestCommands) {}

  reject(errors: CsvRowError[], rows: number): void {
    this.tally.rowsRejected += rows;
    for (const error of errors) {
      if (this.tally.problems.length < MAX_SHOWN) this.tally.problems.push(error);
      else this.tally.problemsNotShown++;
    }
  }

  async add(event: DomainEvent, file: string, line: number): Promise<void> {
    this.pending.push({ event, file, line });
    if (this.pending.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const { results } = await this.ingest.events(batch.map((p) => p.event));
    results.forEach((result, i) => this.count(result, batch[i]!));
  }

  private count(result: IntakeResult, { event, file, line }: Pending): void {
    const t = this.tally;
    const placed = event.type === 'order.placed';
    const outcome = ingestOutcome(result);
    if (outcome.status === 'rejected' && outcome.why === 'erased') {
      // Old exports still hold erased people: refusing them is the expected outcome, not a problem.
      t.eventsErased++;
      return;
    }
    if (outcome.status === 'rejected') {
      const known = outcome.why === null ? null : REJECTION_TEXT[outcome.why];
      this.reject(
        [
          {
            file,
            line,
            field: known?.field ?? '(row)',
            message: known ? known.text(event) : outcome.reason,
          },
        ],
        1,
      );
      return;
    }
    if (outcome.status === 'duplicate') {
      t.eventsDuplicate++;
      if (placed) t.ordersDuplicate++;
      return;
    }
    t.eventsImported++;
    if (placed) t.ordersImported++;
    t.touchPointsPlanned += result.planned;
    t.touchPointsCancelled += result.cancelled;
  }
}

async function importOrders(
  importer: Importer,
  file: string,
  defaultTimezone: string,
  progress: Progress,
): Promise<number> {
  let orders = 0;
  for await (const item of readOrdersCsv(file, { defaultTimezone })) {
    if (item.kind === 'rejected') importer.reject(item.errors, item.rows);
    else {
      orders++;
      for (const event of item.events) await importer.add(event, file, item.line);
    }
    progress.update(item.bytes, orders);
  }
  await importer.flush();
  return orders;
}

async function importEvents(
  importer: Importer,
  file: string,
  defaultTimezone: string,
  progress: Progress,
  offset: number,
  orders: number,
): Promise<void> {
  for await (const item of readEventsCsv(file, { defaultTimezone })) {
    if (item.kind === 'rejected') importer.reject(item.errors, 1);
    else await importer.add(item.event, file, item.line);
    progress.update(offset + item.bytes, orders);
  }
  await importer.flush();
}

function summary(tally: ImportTally, files: string[], db: string): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const names = files.map((file) => basename(file)).join(' + ');
  if (tally.eventsImported === 0 && tally.eventsDuplicate > 0 && tally.rowsRejected === 0) {
    return `Nothing changed: all ${n(tally.ordersDuplicate)} orders and ${n(tally.eventsDuplicate)} events in ${names} were already imported into ${db}.\n`;
  }
  const rows: [string, number][] = [
    ['orders imported', tally.ordersImported],
    ['orders already imported (duplicates)', tally.ordersDuplicate],
    ['events imported', tally.eventsImported],
    ['events already imported (duplicates)', tally.eventsDuplicate],
    ['touch points planned', tally.touchPointsPlanned],
    ['touch points cancelled', tally.touchPointsCancelled],
    ['events of erased people (refused)', tally.eventsErased],
    ['rows rejected', tally.rowsRejected],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const values = rows.map(([, value]) => n(value));
  const valueWidth = Math.max(...values.map((v) => v.length));
  return (
    `Imported ${names} into ${db}\n` +
    rows.map(([label], i) => `  ${label.padEnd(width)}  ${values[i]!.padStart(valueWidth)}\n`).join('')
  );
}

export async function importCommand(file: string, options: ImportOptions): Promise<number> {
  const config = loadConfig(process.env);
  // Every file is checked before the store is touched: a typo must not half-import.
  const ordersSize = await fileSize(file);
  const eventsSize = options.events ? await fileSize(options.events) : 0;
  const app = await compose(config);
  try {
    const defaultTimezone = config.policy.defaultTimezone;
    const importer = new Importer(app.commands.ingest);
    const progress = new Progress('import', ordersSize + eventsSize);
    const orders = await importOrders(importer, file, defaultTimezone, progress);
    if (options.events)
      await importEvents(importer, options.events, defaultTimezone, progress, ordersSize, orders);
    progress.stop(orders);

    const { tally } = importer;
    for (const problem of tally.problems) process.stderr.write(`${formatRowError(problem)}\n`);
    if (tally.problemsNotShown > 0) {
      process.stderr.write(
        `... and ${tally.problemsNotShown.toLocaleString('en-US')} more problems not shown\n`,
      );
    }
    process.stdout.write(
      summary(tally, options.events ? [file, options.events] : [file], redactUrl(config.db)),
    );
    return tally.rowsRejected > 0 ? EXIT_REJECTED : EXIT_OK;
  } finally {
    await app.close();
  }
}
