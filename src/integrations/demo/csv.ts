// Demo orders as CSV files in the import format: orders.csv (one row per line item) and, when
// asked, events.csv with the lifecycle facts (shipped, delayed, delivered...) kept apart.
import type { Millis } from '../../core/domain.js';
import { toLocalIso } from '../../core/localTime.js';
import { CsvFileWriter } from '../csv/write.js';
import type { DemoGroup } from './effect.js';
import type { DemoOrder } from './generate.js';
import { orderIn } from './worlds.js';

const ORDER_COLUMNS = [
  'order_id',
  'placed_at',
  'email',
  'customer_id',
  'first_name',
  'last_name',
  'phone',
  'timezone',
  'locale',
  'segment',
  'currency',
  'total',
  'sku',
  'product_name',
  'category',
  'quantity',
  'promised_delivery_at',
  'renewal_at',
  'kind',
  'renewal_period',
  'sales_channel',
  'company',
] as const;
const LIFECYCLE_COLUMNS = [
  'shipped_at',
  'carrier',
  'tracking_number',
  'delivered_at',
  'returned_at',
  'cancelled_at',
  'started_at',
  'onboarded_at',
] as const;
export const DEMO_EVENT_COLUMNS = ['order_id', 'type', 'at', 'data'] as const;

export function demoOrderColumns(withLifecycle: boolean): string[] {
  return withLifecycle ? [...ORDER_COLUMNS, ...LIFECYCLE_COLUMNS] : [...ORDER_COLUMNS];
}

/** Customers' local time with its offset, as shop exports write it; UTC when no zone is known. */
function when(order: DemoOrder, at: Millis | null): string {
  if (at === null) return '';
  return order.customer.region.timezone
    ? toLocalIso(at, order.customer.region.timezone)
    : new Date(at).toISOString();
}

export function demoOrderRows(order: DemoOrder, withLifecycle: boolean): string[][] {
  const c = order.customer;
  return order.lines.map((line) => {
    const row = [
      order.orderId,
      when(order, order.placedAt),
      c.email,
      c.customerId ?? '',
      c.firstName,
      c.lastName,
      c.phone ?? '',
      c.region.timezone,
      c.region.locale,
      c.segment,
      order.currency,
      order.total.toFixed(2),
      line.sku,
      line.productName,
      line.category,
      String(line.quantity),
      order.promisedDate ?? '',
      // The renewal the order is heading for: with events, the first; alone, the latest known.
      when(order, withLifecycle ? (order.renewals.at(-1)?.next ?? order.renewalAt) : order.renewalAt),
      order.kind,
      order.renewalPeriod ?? '',
      order.salesChannel,
      c.company ?? '',
    ];
    if (withLifecycle) {
      row.push(
        when(order, order.shippedAt),
        order.carrier ?? '',
        order.trackingNumber ?? '',
        when(order, order.deliveredAt),
        when(order, order.returnedAt),
        when(order, order.cancelledAt),
        when(order, order.startedAt),
        when(order, order.onboardedAt),
      );
    }
    return row;
  });
}

/** The order's lifecycle as events-CSV rows, in time order. */
export function demoEventRows(order: DemoOrder): string[][] {
  const rows: [Millis, string, Record<string, unknown>][] = [];
  const shipment = { carrier: order.carrier, tracking_number: order.trackingNumber };
  if (order.startedAt !== null) rows.push([order.startedAt, 'order.started', {}]);
  if (order.onboardedAt !== null) rows.push([order.onboardedAt, 'order.onboarded', {}]);
  for (const renewal of order.renewals)
    rows.push([renewal.at, 'order.renewed', { next_renewal_at: new Date(renewal.next).toISOString() }]);
  if (order.shippedAt !== null) rows.push([order.shippedAt, 'shipment.shipped', shipment]);
  if (order.delayedAt !== null)
    rows.push([order.delayedAt, 'shipment.delayed', { ...shipment, reason: order.delayReason }]);
  if (order.outForDeliveryAt !== null)
    rows.push([order.outForDeliveryAt, 'shipment.out_for_delivery', shipment]);
  if (order.deliveredAt !== null) rows.push([order.deliveredAt, 'shipment.delivered', shipment]);
  if (order.returnedAt !== null)
    rows.push([order.returnedAt, 'order.returned', { reason: order.returnReason }]);
  if (order.cancelledAt !== null)
    rows.push([order.cancelledAt, 'order.cancelled', { reason: order.cancelReason }]);
  if (order.answer !== null) {
    const { score, comment } = order.answer;
    rows.push([
      order.answer.at,
      'survey.answered',
      { survey: 'nps', score, ...(comment ? { comment } : {}) },
    ]);
  }
  return rows
    .sort((a, b) => a[0] - b[0])
    .map(([at, type, data]) => [order.orderId, type, when(order, at), JSON.stringify(data)]);
}

export interface DemoCsvResult {
  orders: number;
  orderRows: number;
  eventRows: number;
}

/**
 * Writes orders to `ordersPath`. With `eventsPath`, lifecycle facts go there as events (including
 * delays and out-for-delivery, which have no orders column); otherwise into the orders' columns.
 * `world`: what customers of that group do (by default the program's: what most customers do);
 * `both`: every fact of either world, for the demo feeder to choose from by each customer's group.
 */
export async function writeDemoCsv(
  orders: Iterable<DemoOrder>,
  ordersPath: string,
  eventsPath: string | null,
  world: DemoGroup | 'both' = 'treatment',
): Promise<DemoCsvResult> {
  const ordersFile = await CsvFileWriter.create(ordersPath, demoOrderColumns(eventsPath === null));
  const eventsFile =
    eventsPath === null
      ? null
      : await CsvFileWriter.create(eventsPath, DEMO_EVENT_COLUMNS).catch(async (error: unknown) => {
          await ordersFile.close();
          throw error;
        });
  let count = 0;
  try {
    for (const generated of orders) {
      const order = world === 'both' ? generated : orderIn(generated, world);
      if (order === null) continue;
      count++;
      for (const row of demoOrderRows(order, eventsFile === null)) await ordersFile.write(row);
      if (eventsFile) for (const row of demoEventRows(order)) await eventsFile.write(row);
    }
  } finally {
    await ordersFile.close();
    await eventsFile?.close();
  }
  return { orders: count, orderRows: ordersFile.rows, eventRows: eventsFile?.rows ?? 0 };
}
