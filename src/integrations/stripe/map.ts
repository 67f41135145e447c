// Stripe events -> domain events. The event id is Stripe's `evt_...`; the order is the
// subscription for recurring business (`stripe:sub_...`) and the payment intent for one-off
// checkouts (`stripe:pi_...`), so a refund (which names the payment intent) finds its order and
// the first invoice of a subscription lands on the order its checkout created.
import {
  SALE_KINDS,
  type CustomerInput,
  type LineItem,
  type Millis,
  type OrderInput,
  type RenewalPeriod,
  type SaleKind,
  type ShippingAddress,
} from '../../core/domain.js';
import { shippingAddress } from '../../core/shippingAddress.js';
import { zoneForAddress } from '../addressZone.js';
import { events, ignored, invalid, isMapped, type Mapped } from '../mapping.js';
import { count, idOf, list, mailboxField, record, text, unixSeconds, type Fields } from '../payload.js';

export const STRIPE_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'invoice.paid',
  'charge.refunded',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;

/** Currencies Stripe counts in whole units, and those with three decimals. */
// prettier-ignore
const ZERO_DECIMAL = new Set([
  'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Stripe amounts are integers in the currency's minor unit. */
export function fromMinorUnits(amount: unknown, currency: string | null): number | null {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) return null;
  const code = currency?.toUpperCase() ?? '';
  const divisor = ZERO_DECIMAL.has(code) ? 1 : THREE_DECIMAL.has(code) ? 1000 : 100;
  return amount / divisor;
}

interface StripeEvent {
  id: string;
  type: string;
  created: Millis;
  object: Fields;
  previous: Fields | null;
}

export function mapStripe(payload: unknown): Mapped {
  const body = record(payload);
  if (body === null) return invalid('body', 'is not a JSON object');
  const id = idOf(body.id);
  if (id === null) return invalid('id', 'is missing or not an event id');
  const type = text(body.type);
  if (type === null) return invalid('type', 'is missing');
  const created = unixSeconds(body.created);
  if (created === null) return invalid('created', 'is not a Unix timestamp');
  const data = record(body.data);
  const object = record(data?.object);
  if (object === null) return invalid('data.object', 'is not an object');
  const event: StripeEvent = {
    id: `stripe:${id}`,
    type,
    created,
    object,
    previous: record(data?.previous_attributes),
  };
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return checkoutCompleted(event);
    case 'invoice.paid':
      return invoicePaid(event);
    case 'charge.refunded':
      return chargeRefunded(event);
    case 'customer.subscription.updated':
      return subscriptionUpdated(event);
    case 'customer.subscription.deleted':
      return subscriptionDeleted(event);
    default:
      return ignored(`event type ${type} is not used`);
  }
}

/** An id field that is either the id or the expanded object. */
function ref(value: unknown): string | null {
  return idOf(value) ?? idOf(record(value)?.id);
}

function checkoutCompleted(event: StripeEvent): Mapped {
  const session = event.object;
  const mode = text(session.mode);
  if (mode === 'setup') return ignored('a setup session sells nothing');
  // Delayed payment methods complete the session unpaid; async_payment_succeeded follows.
  if (event.type === 'checkout.session.completed' && text(session.payment_status) === 'unpaid')
    return ignored('payment is still pending');
  const subscription = ref(session.subscription);
  const paymentIntent = ref(session.payment_intent);
  const sessionId = idOf(session.id);
  const orderKey = subscription ?? paymentIntent ?? sessionId;
  if (orderKey === null) return invalid('data.object.id', 'is missing');
  const currency = currencyOf(session.currency);
  const details = record(session.customer_details);
  const shipping =
    record(record(session.collected_information)?.shipping_details) ?? record(session.shipping_details);
  const lines = list(record(session.line_items)?.data)
    .map(record)
    .filter((item): item is Fields => item !== null);
  const items: LineItem[] = lines.map((item) => ({
    sku: ref(record(item.price)?.product),
    productName: text(item.description),
    category: null,
    quantity: count(item.quantity) ?? 1,
    price: fromMinorUnits(record(item.price)?.unit_amount, currency),
  }));
  const customer = customerInput({
    stripeCustomer: ref(session.customer),
    emails: [
      ['customer_details.email', details?.email],
      ['customer_email', session.customer_email],
    ],
    name: text(details?.name) ?? text(shipping?.name),
    phone: text(details?.phone),
    address: record(shipping?.address) ?? record(details?.address),
    business: text(details?.business_name) !== null,
  });
  if (isMapped(customer)) return customer;
  return events({
    id: event.id,
    type: 'order.placed',
    at: event.created,
    customerId: null,
    orderId: `stripe:${orderKey}`,
    customer,
    order: {
      placedAt: event.created,
      // A checkout session has no number a customer sees; its invoice's number comes later, if at all.
      number: null,
      shippingAddress: stripeAddress(text(shipping?.name), record(shipping?.address), text(details?.phone)),
      currency,
      total: fromMinorUnits(session.amount_total, currency),
      items,
      ...(mode === 'subscription'
        ? subscriptionSale(
            event.created,
            kindOf(record(session.metadata)) ?? (shipping ? 'goods' : 'software'),
            lines,
          )
        : {}),
      attributes: { stripe_mode: mode, stripe_checkout_session: sessionId },
    },
    data: {
      source: 'stripe',
      checkout_session_id: sessionId,
      mode,
      ...discountCodes(session),
    },
  });
}

function invoicePaid(event: StripeEvent): Mapped {
  const invoice = event.object;
  const subscription =
    ref(invoice.subscription) ?? ref(record(record(invoice.parent)?.subscription_details)?.subscription);
  // One-off invoices come with the checkout or API order they belong to; renewals are the point here.
  if (subscription === null) return ignored('not a subscription invoice');
  const reason = text(invoice.billing_reason);
  const paidAt = unixSeconds(record(invoice.status_transitions)?.paid_at) ?? event.created;
  const currency = currencyOf(invoice.currency);
  const lines = list(record(invoice.lines)?.data)
    .map(record)
    .filter((line): line is Fields => line !== null);
  const periodEnds = lines
    .map((line) => unixSeconds(record(line.period)?.end))
    .filter((end): end is Millis => end !== null);
  const nextRenewal = periodEnds.length > 0 ? Math.max(...periodEnds) : null;
  const orderId = `stripe:${subscription}`;
  const data = { source: 'stripe', invoice_id: idOf(invoice.id), billing_reason: reason };
  if (reason === 'subscription_create') {
    const customer = customerInput({
      stripeCustomer: ref(invoice.customer),
      emails: [['customer_email', invoice.customer_email]],
      name: text(invoice.customer_name),
      phone: text(invoice.customer_phone),
      address: record(record(invoice.customer_shipping)?.address) ?? record(invoice.customer_address),
      business: false,
    });
    if (isMapped(customer)) return customer;
    return events({
      id: event.id,
      type: 'order.placed',
      at: paidAt,
      customerId: null,
      orderId,
      customer,
      order: {
        placedAt: paidAt,
        number: text(invoice.number),
        shippingAddress: stripeAddress(
          text(record(invoice.customer_shipping)?.name),
          record(record(invoice.customer_shipping)?.address),
          text(record(invoice.customer_shipping)?.phone),
        ),
        currency,
        total: fromMinorUnits(invoice.amount_paid, currency),
        renewalAt: nextRenewal,
        ...subscriptionSale(paidAt, kindOf(subscriptionMetadata(invoice)), lines),
        items: lines.map((line) => ({
          sku: ref(record(record(line.pricing)?.price_details)?.product) ?? ref(record(line.price)?.product),
          productName: text(line.description),
          category: null,
          quantity: count(line.quantity) ?? 1,
          price: fromMinorUnits(line.amount, currency),
        })),
        attributes: { stripe_subscription: subscription },
      },
      data,
    });
  }
  if (reason === 'subscription_cycle') {
    // No customer details on purpose: a renewal of a subscription Aftercare never saw start is
    // rejected as an unknown order rather than enrolled as a brand-new sale.
    return events({
      id: event.id,
      type: 'order.renewed',
      at: paidAt,
      customerId: null,
      orderId,
      data: {
        ...data,
        next_renewal_at: nextRenewal,
        amount_paid: fromMinorUnits(invoice.amount_paid, currency),
      },
    });
  }
  return ignored(`invoice billing reason ${reason ?? 'none'} changes no order`);
}

function chargeRefunded(event: StripeEvent): Mapped {
  const charge = event.object;
  // A partial refund (a goodwill credit, a missing part) is no return: the program goes on.
  if (charge.refunded !== true) return ignored('partial refund');
  const paymentIntent = ref(charge.payment_intent);
  if (paymentIntent === null) return ignored('the charge has no payment intent to find its order by');
  const currency = currencyOf(charge.currency);
  return events({
    id: event.id,
    type: 'order.returned',
    at: event.created,
    customerId: null,
    orderId: `stripe:${paymentIntent}`,
    data: {
      source: 'stripe',
      charge_id: idOf(charge.id),
      amount_refunded: fromMinorUnits(charge.amount_refunded, currency),
      currency,
    },
  });
}

/** Fields of a subscription whose change can move or end the next renewal. */
const RENEWAL_FIELDS = [
  'current_period_end',
  'items',
  'cancel_at',
  'cancel_at_period_end',
  'trial_end',
  'status',
];

function subscriptionUpdated(event: StripeEvent): Mapped {
  const subscription = event.object;
  const id = idOf(subscription.id);
  if (id === null) return invalid('data.object.id', 'is missing');
  const previous = event.previous ?? {};
  if (!RENEWAL_FIELDS.some((field) => field in previous)) return ignored('no change to the renewal');
  const startedAt = unixSeconds(subscription.start_date) ?? unixSeconds(subscription.created);
  if (startedAt === null) return invalid('data.object.start_date', 'is not a Unix timestamp');
  // Since API version 2025-03-31 the period lives on the subscription items.
  const itemEnds = list(record(subscription.items)?.data)
    .map((item) => unixSeconds(record(item)?.current_period_end))
    .filter((end): end is Millis => end !== null);
  const periodEnd =
    unixSeconds(subscription.current_period_end) ?? (itemEnds.length > 0 ? Math.max(...itemEnds) : null);
  const order: OrderInput = {
    placedAt: startedAt,
    renewalAt: periodEnd,
    attributes: { stripe_status: text(subscription.status) },
  };
  return events({
    id: event.id,
    type: 'order.updated',
    at: event.created,
    customerId: null,
    orderId: `stripe:${id}`,
    order,
    data: {
      source: 'stripe',
      status: text(subscription.status),
      cancel_at_period_end: subscription.cancel_at_period_end === true,
      renewal_at: periodEnd,
    },
  });
}

function subscriptionDeleted(event: StripeEvent): Mapped {
  const subscription = event.object;
  const id = idOf(subscription.id);
  if (id === null) return invalid('data.object.id', 'is missing');
  const at = unixSeconds(subscription.ended_at) ?? unixSeconds(subscription.canceled_at) ?? event.created;
  return events({
    id: event.id,
    type: 'order.cancelled',
    at,
    customerId: null,
    orderId: `stripe:${id}`,
    data: { source: 'stripe', reason: text(record(subscription.cancellation_details)?.reason) },
  });
}

/** Stripe's shipping details ({name, address: {line1, line2, city, state, postal_code, country}}). */
function stripeAddress(
  name: string | null,
  address: Fields | null,
  phone: string | null,
): ShippingAddress | null {
  if (address === null) return null;
  return shippingAddress({
    name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    region: address.state,
    postalCode: address.postal_code,
    country: address.country,
    phone,
  });
}

/**
 * What a subscription sells: its metadata `aftercare_kind` (goods, service or software) when the
 * shop set it; else a checkout that collected no shipping address sells software, and an invoice
 * says nothing (a box of coffee every month ships). Software and services start when paid. The
 * period comes from the price's recurring interval, or the length of the period billed.
 */
function subscriptionSale(
  paidAt: Millis,
  kind: SaleKind | null,
  lines: Fields[],
): Pick<OrderInput, 'kind' | 'startedAt' | 'renewalPeriod'> {
  const periods = new Set(lines.map(periodOf));
  const [only] = periods;
  const renewalPeriod = periods.size === 1 && only !== undefined ? only : null;
  if (kind === null || kind === 'goods') return { kind, renewalPeriod };
  return { kind, startedAt: paidAt, renewalPeriod };
}

function kindOf(metadata: Fields | null): SaleKind | null {
  const value = text(metadata?.['aftercare_kind'])?.toLowerCase();
  return SALE_KINDS.find((kind) => kind === value) ?? null;
}

/** The subscription's metadata as the invoice carries it (2025 API: under `parent`). */
function subscriptionMetadata(invoice: Fields): Fields | null {
  return (
    record(record(record(invoice.parent)?.subscription_details)?.metadata) ??
    record(record(invoice.subscription_details)?.metadata)
  );
}

const DAY = 86_400_000;

function periodOf(line: Fields): RenewalPeriod | null {
  const recurring = record(record(line.price)?.recurring);
  const interval = text(recurring?.interval);
  let months = interval === 'year' ? 12 : interval === 'month' ? 1 : null;
  if (months !== null) months *= count(recurring?.interval_count) ?? 1;
  else {
    const start = unixSeconds(record(line.period)?.start);
    const end = unixSeconds(record(line.period)?.end);
    const days = start !== null && end !== null ? (end - start) / DAY : 0;
    months =
      days >= 28 && days <= 31 ? 1 : days >= 89 && days <= 92 ? 3 : days >= 365 && days <= 366 ? 12 : null;
  }
  return months === 1 ? 'monthly' : months === 3 ? 'quarterly' : months === 12 ? 'annual' : null;
}

function currencyOf(value: unknown): string | null {
  const code = text(value);
  return code !== null && /^[a-z]{3}$/i.test(code) ? code.toUpperCase() : null;
}

function customerInput(input: {
  stripeCustomer: string | null;
  /** Address fields in order of preference: each present one must be exactly one mailbox. */
  emails: readonly (readonly [string, unknown])[];
  name: string | null;
  phone: string | null;
  address: Fields | null;
  business: boolean;
}): CustomerInput | Mapped {
  let email: string | null = null;
  for (const [field, value] of input.emails) {
    const checked = mailboxField(value);
    if ('problem' in checked) return invalid(field, checked.problem);
    email ??= checked.address;
  }
  const [firstName, ...rest] = (input.name ?? '').split(/\s+/).filter(Boolean);
  return {
    // Whoever pays types the address at checkout: Stripe's details only fill blanks.
    contactSource: 'guest',
    customerId: email === null && input.stripeCustomer !== null ? `stripe:${input.stripeCustomer}` : null,
    email,
    firstName: firstName ?? null,
    lastName: rest.length > 0 ? rest.join(' ') : null,
    phone: input.phone,
    timezone: zoneForAddress(text(input.address?.country), text(input.address?.state)),
    segment: input.business ? 'b2b' : null,
    attributes: input.stripeCustomer === null ? {} : { stripe_customer_id: input.stripeCustomer },
  };
}

/**
 * The promotion codes a session used, where the payload has their text: `discounts[].promotion_code`
 * expanded to an object with `code` (an unexpanded one is only an id, which no offer knows).
 */
function discountCodes(session: Fields): { discount_codes?: string[] } {
  const codes = list(session.discounts)
    .map((d) => text(record(record(d)?.promotion_code)?.code))
    .filter((c): c is string => c !== null);
  return codes.length > 0 ? { discount_codes: codes } : {};
}
