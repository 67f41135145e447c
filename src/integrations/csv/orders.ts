// Streams an orders CSV (one row per line item, rows of one order consecutive) into domain
// events, one order at a time. Bad rows reject their order only; every other order still flows.
import type { DomainEvent } from '../../core/domain.js';
import { checkOrderRows, orderEvents } from './orderEvents.js';
import { ORDER_REQUIRED_COLUMNS, parseOrderRow, type OrderRow } from './orderRow.js';
import { scanColumn } from './columnScan.js';
import { readCsvRecords, type CsvHeader } from './records.js';
import type { CsvRowError } from './rowError.js';

export { ORDER_COLUMNS, ORDER_REQUIRED_COLUMNS } from './orderRow.js';

export interface OrdersCsvOptions {
  /** Zone for dates written without an offset when the row has no known zone. Default UTC. */
  defaultTimezone?: string;
}

/** `line` is the order's first row; `rows` how many rows it spans; `bytes` how far the file has been read. */
export type OrdersCsvItem =
  | { kind: 'order'; orderId: string; line: number; rows: number; bytes: number; events: DomainEvent[] }
  | {
      kind: 'rejected';
      orderId: string | null;
      line: number;
      rows: number;
      bytes: number;
      errors: CsvRowError[];
    };

/**
 * First pass: which order ids occur in more than one run of rows. Such an order cannot be put
 * together without holding the whole file, so it is rejected; knowing this before the second pass
 * keeps the rejection whole instead of importing half an order. Memory: one set of ids.
 */
async function scatteredOrders(file: string): Promise<Map<string, number>> {
  const seen = new Set<string>();
  const scattered = new Map<string, number>();
  let previous: string | null = null;
  await scanColumn(file, ORDER_REQUIRED_COLUMNS, 'order_id', (raw) => {
    const id = raw.trim();
    if (id === '' || id === previous) return;
    if (seen.has(id)) scattered.set(id, 0);
    else seen.add(id);
    previous = id;
  });
  return scattered;
}

export async function* readOrdersCsv(
  file: string,
  options: OrdersCsvOptions = {},
): AsyncGenerator<OrdersCsvItem> {
  const defaultTimezone = options.defaultTimezone ?? 'UTC';
  const scattered = await scatteredOrders(file);
  const read: { header: CsvHeader | null } = { header: null };
  let rows: OrderRow[] = [];
  let errors: CsvRowError[] = [];
  let bytes = 0;
  const loose: OrdersCsvItem[] = [];

  const finish = (): OrdersCsvItem | null => {
    const head = rows[0];
    if (!head) return null;
    const firstLine = scattered.get(head.orderId);
    if (firstLine !== undefined) {
      if (firstLine === 0) scattered.set(head.orderId, head.line);
      errors.unshift({
        file,
        line: head.line,
        field: 'order_id',
        message:
          firstLine === 0
            ? `rows of order ${head.orderId} are not consecutive (more follow later); the order is rejected`
            : `rows of order ${head.orderId} are not consecutive (it began on line ${firstLine}); the order is rejected`,
      });
    }
    errors.push(...checkOrderRows(file, rows));
    const item: OrdersCsvItem =
      errors.length > 0
        ? { kind: 'rejected', orderId: head.orderId, line: head.line, rows: rows.length, bytes, errors }
        : {
            kind: 'order',
            orderId: head.orderId,
            line: head.line,
            rows: rows.length,
            bytes,
            events: orderEvents(rows),
          };
    rows = [];
    errors = [];
    return item;
  };

  for await (const record of readCsvRecords(file, ORDER_REQUIRED_COLUMNS, (h) => (read.header = h))) {
    bytes = record.bytes;
    let stray: OrdersCsvItem | null = null;
    let parsed: ReturnType<typeof parseOrderRow> | null = null;
    if (record.kind === 'error') {
      stray = {
        kind: 'rejected',
        orderId: null,
        line: record.error.line,
        rows: 1,
        bytes,
        errors: [record.error],
      };
    } else if (read.header !== null) {
      parsed = parseOrderRow(file, read.header, record.line, record.fields, defaultTimezone);
      if (parsed.row.orderId === '') {
        stray = { kind: 'rejected', orderId: null, line: record.line, rows: 1, bytes, errors: parsed.errors };
      }
    }
    if (stray) {
      // A row that belongs to no order waits for the open order, so items come out in line order.
      if (rows.length > 0) loose.push(stray);
      else yield stray;
      continue;
    }
    if (parsed === null) continue;
    if (rows[0] && rows[0].orderId !== parsed.row.orderId) {
      const item = finish();
      if (item) yield item;
      yield* loose.splice(0);
    }
    rows.push(parsed.row);
    errors.push(...parsed.errors);
  }
  const last = finish();
  if (last) yield last;
  yield* loose;
}
