// Turns the validated rows of one order into the domain events they describe: the order was
// placed, and (when the columns are filled) shipped, delivered, returned or cancelled.
import type { DomainEvent, LineItem, Millis } from '../../core/domain.js';
import type { CsvRowError } from './rowError.js';
import type { OrderRow } from './orderRow.js';

function first<K extends keyof OrderRow>(rows: OrderRow[], key: K): NonNullable<OrderRow[K]> | null {
  for (const row of rows) {
    const value = row[key];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** Rows of one order must agree on who bought and when; otherwise the order is ambiguous. */
export function checkOrderRows(file: string, rows: OrderRow[]): CsvRowError[] {
  const [head] = rows;
  if (!head) return [];
  const errors: CsvRowError[] = [];
  for (const row of rows.slice(1)) {
    if (head.email !== null && row.email !== null && row.email.toLowerCase() !== head.email.toLowerCase()) {
      errors.push({
        file,
        line: row.line,
        field: 'email',
        message: `"${row.email}" differs from "${head.email}" on line ${head.line} of the same order ${head.orderId}`,
      });
    }
    if (head.placedAt !== null && row.placedAt !== null && row.placedAt !== head.placedAt) {
      errors.push({
        file,
        line: row.line,
        field: 'placed_at',
        message: `differs from line ${head.line} of the same order ${head.orderId}`,
      });
    }
  }
  return errors;
}

/** Builds the events of one order from rows that passed validation and `checkOrderRows`. */
export function orderEvents(rows: OrderRow[]): DomainEvent[] {
  const head = rows[0];
  if (!head || head.placedAt === null) return [];
  const orderId = head.orderId;
  const placedAt = head.placedAt;
  const customerId = first(rows, 'customerId');
  const segment = first(rows, 'segment');
  const items: LineItem[] = [];
  const attributes: Record<string, string> = {};
  for (const row of rows) {
    if (row.item) items.push(row.item);
    for (const [key, value] of Object.entries(row.attributes)) attributes[key] ??= value;
  }
  const base = (type: DomainEvent['type'], suffix: string, at: Millis): DomainEvent => ({
    id: `csv:${orderId}:${suffix}`,
    type,
    at,
    customerId,
    orderId,
    data: {},
    // Everything it says is in the order's own record: stores keep it with the order.
    embedded: true,
  });

  const events: DomainEvent[] = [
    {
      ...base('order.placed', 'placed', placedAt),
      customer: {
        customerId,
        email: head.email,
        firstName: first(rows, 'firstName'),
        lastName: first(rows, 'lastName'),
        phone: first(rows, 'phone'),
        timezone: first(rows, 'timezone'),
        locale: first(rows, 'locale'),
        segment,
      },
      order: {
        placedAt,
        number: first(rows, 'orderNumber'),
        shippingAddress: first(rows, 'shippingAddress'),
        currency: first(rows, 'currency'),
        total: first(rows, 'total'),
        segment,
        items,
        promisedDeliveryAt: first(rows, 'promisedDeliveryAt'),
        renewalAt: first(rows, 'renewalAt'),
        kind: first(rows, 'kind'),
        renewalPeriod: first(rows, 'renewalPeriod'),
        attributes,
      },
    },
  ];
  const startedAt = first(rows, 'startedAt');
  if (startedAt !== null) events.push(base('order.started', 'started', startedAt));
  const onboardedAt = first(rows, 'onboardedAt');
  if (onboardedAt !== null) events.push(base('order.onboarded', 'onboarded', onboardedAt));
  const shippedAt = first(rows, 'shippedAt');
  const carrier = first(rows, 'carrier');
  const trackingNumber = first(rows, 'trackingNumber');
  if (shippedAt !== null) {
    events.push({
      ...base('shipment.shipped', 'shipped', shippedAt),
      order: { placedAt, shipment: { carrier, trackingNumber, shippedAt, status: 'in_transit' } },
      data: { carrier, tracking_number: trackingNumber },
    });
  }
  const deliveredAt = first(rows, 'deliveredAt');
  if (deliveredAt !== null) {
    events.push({
      ...base('shipment.delivered', 'delivered', deliveredAt),
      order: { placedAt, shipment: { carrier, trackingNumber, shippedAt, deliveredAt, status: 'delivered' } },
      data: { carrier, tracking_number: trackingNumber },
    });
  }
  const returnedAt = first(rows, 'returnedAt');
  if (returnedAt !== null) events.push(base('order.returned', 'returned', returnedAt));
  const cancelledAt = first(rows, 'cancelledAt');
  if (cancelledAt !== null) events.push(base('order.cancelled', 'cancelled', cancelledAt));
  return events;
}
