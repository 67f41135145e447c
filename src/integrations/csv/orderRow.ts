// One line of an orders CSV, validated cell by cell. A row with any error is reported with every
// problem it has at once, so a person fixes the file in one go.
import type {
  LineItem,
  Millis,
  RenewalPeriod,
  SaleKind,
  Segment,
  ShippingAddress,
} from '../../core/domain.js';
import { shippingAddress } from '../../core/shippingAddress.js';
import { isValidZone } from '../../core/localTime.js';
import type { CsvHeader } from './records.js';
import type { CsvRowError } from './rowError.js';
import {
  parseAmount,
  parseCurrency,
  parseEmail,
  parseIso,
  parseKind,
  parseQuantity,
  parseRenewalPeriod,
  parseSegment,
  type Parsed,
} from './fields.js';

/** The shipping address, one column per line (any may be empty). */
export const SHIPPING_COLUMNS = [
  'shipping_name',
  'shipping_company',
  'shipping_address1',
  'shipping_address2',
  'shipping_city',
  'shipping_region',
  'shipping_postal_code',
  'shipping_country',
  'shipping_phone',
] as const;

export const ORDER_REQUIRED_COLUMNS = ['order_id', 'placed_at', 'email'] as const;

/** Columns with a meaning; any other column becomes an order attribute for templates. */
export const ORDER_COLUMNS = [
  ...ORDER_REQUIRED_COLUMNS,
  'customer_id',
  'first_name',
  'last_name',
  'phone',
  'timezone',
  'locale',
  'total',
  'currency',
  'sku',
  'product_name',
  'category',
  'quantity',
  'segment',
  'promised_delivery_at',
  'shipped_at',
  'carrier',
  'tracking_number',
  'delivered_at',
  'returned_at',
  'cancelled_at',
  'renewal_at',
  'order_number',
  ...SHIPPING_COLUMNS,
  'kind',
  'renewal_period',
  'started_at',
  'onboarded_at',
] as const;
type OrderColumn = (typeof ORDER_COLUMNS)[number];
const KNOWN = new Set<string>(ORDER_COLUMNS);

export interface OrderRow {
  line: number;
  orderId: string;
  placedAt: Millis | null;
  email: string | null;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  total: number | null;
  currency: string | null;
  segment: Segment | null;
  item: LineItem | null;
  promisedDeliveryAt: Millis | null;
  shippedAt: Millis | null;
  carrier: string | null;
  trackingNumber: string | null;
  deliveredAt: Millis | null;
  returnedAt: Millis | null;
  cancelledAt: Millis | null;
  renewalAt: Millis | null;
  /** What the customer knows the order by (#1042). */
  orderNumber: string | null;
  shippingAddress: ShippingAddress | null;
  kind: SaleKind | null;
  renewalPeriod: RenewalPeriod | null;
  startedAt: Millis | null;
  onboardedAt: Millis | null;
  attributes: Record<string, string>;
}

export function parseOrderRow(
  file: string,
  header: CsvHeader,
  line: number,
  fields: string[],
  defaultTimezone: string,
): { row: OrderRow; errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const cell = (column: OrderColumn): string | null => {
    const i = header.index.get(column);
    const value = i === undefined ? '' : (fields[i] ?? '').trim();
    return value === '' ? null : value;
  };
  const check = <T>(column: OrderColumn, parser: (text: string) => Parsed<T>): T | null => {
    const text = cell(column);
    if (text === null) return null;
    const parsed = parser(text);
    if (parsed.ok) return parsed.value;
    errors.push({ file, line, field: column, message: parsed.message });
    return null;
  };
  const required = <T>(column: OrderColumn, parser: (text: string) => Parsed<T>): T | null => {
    if (cell(column) === null) {
      errors.push({ file, line, field: column, message: 'is required but empty' });
      return null;
    }
    return check(column, parser);
  };

  const timezone = cell('timezone');
  // Unknown zones are not errors (the business default applies at send time); they only stop
  // us reading zone-less dates in them.
  const zone = timezone !== null && isValidZone(timezone) ? timezone : defaultTimezone;
  const date = (text: string): Parsed<Millis> => parseIso(text, { zone });
  const orderId = cell('order_id');
  if (orderId === null) errors.push({ file, line, field: 'order_id', message: 'is required but empty' });

  const sku = cell('sku');
  const productName = cell('product_name');
  const category = cell('category');
  const quantity = check('quantity', parseQuantity);
  const item: LineItem | null =
    sku !== null || productName !== null || category !== null
      ? { sku, productName, category, quantity: quantity ?? 1, price: null }
      : null;

  const attributes: Record<string, string> = {};
  header.names.forEach((name, i) => {
    const value = (fields[i] ?? '').trim();
    if (!KNOWN.has(name) && value !== '') attributes[name] = value;
  });

  const row: OrderRow = {
    line,
    orderId: orderId ?? '',
    placedAt: required('placed_at', date),
    email: required('email', parseEmail),
    customerId: cell('customer_id'),
    firstName: cell('first_name'),
    lastName: cell('last_name'),
    phone: cell('phone'),
    timezone,
    locale: cell('locale'),
    total: check('total', parseAmount),
    currency: check('currency', parseCurrency),
    segment: check('segment', parseSegment),
    item,
    promisedDeliveryAt: check('promised_delivery_at', (text) => parseIso(text, { zone, endOfDay: true })),
    shippedAt: check('shipped_at', date),
    carrier: cell('carrier'),
    trackingNumber: cell('tracking_number'),
    deliveredAt: check('delivered_at', date),
    returnedAt: check('returned_at', date),
    cancelledAt: check('cancelled_at', date),
    renewalAt: check('renewal_at', date),
    orderNumber: cell('order_number'),
    shippingAddress: shippingAddress({
      name: cell('shipping_name'),
      company: cell('shipping_company'),
      line1: cell('shipping_address1'),
      line2: cell('shipping_address2'),
      city: cell('shipping_city'),
      region: cell('shipping_region'),
      postalCode: cell('shipping_postal_code'),
      country: cell('shipping_country'),
      phone: cell('shipping_phone'),
    }),
    kind: check('kind', parseKind),
    renewalPeriod: check('renewal_period', parseRenewalPeriod),
    startedAt: check('started_at', date),
    onboardedAt: check('onboarded_at', date),
    attributes,
  };
  return { row, errors };
}
