// Shopify webhook payloads -> domain events. The event id is the delivery's X-Shopify-Webhook-Id
// (Shopify resends a failed delivery with the same id); the order id is Shopify's order id, so
// the same order arriving twice under two webhook ids is still one order with one plan.
import type { IncomingHttpHeaders } from 'node:http';
import type {
  CustomerInput,
  DomainEvent,
  EventType,
  LineItem,
  Millis,
  OrderInput,
} from '../../core/domain.js';
import { shippingAddress } from '../../core/shippingAddress.js';
import { zoneForAddress } from '../addressZone.js';
import { events, ignored, invalid, isMapped, type Mapped } from '../mapping.js';
import { count, decimal, idOf, isoTime, list, mailboxField, record, text, type Fields } from '../payload.js';
import { single } from '../signature.js';

export const SHOPIFY_TOPICS = [
  'orders/create',
  'orders/fulfilled',
  'orders/cancelled',
  'fulfillments/create',
  'fulfillments/update',
  'refunds/create',
] as const;

export interface ShopifyDelivery {
  topic: string;
  webhookId: string;
}

/** Topic and delivery id from the headers; both are required to take a delivery at all. */
export function shopifyDelivery(headers: IncomingHttpHeaders): ShopifyDelivery | Mapped {
  const topic = single(headers['x-shopify-topic'])?.trim().toLowerCase() ?? null;
  if (topic === null) return invalid('X-Shopify-Topic', 'header is missing');
  const webhookId = idOf(single(headers['x-shopify-webhook-id']));
  if (webhookId === null) return invalid('X-Shopify-Webhook-Id', 'header is missing or not an id');
  return { topic, webhookId };
}

/**
 * Shopify's `shipment_status` (set by the carrier integration) -> the event it reports. Statuses
 * before the parcel moves (labels, confirmed) say "shipped": the fulfillment exists.
 */
const SHIPMENT_STATUS: Readonly<Record<string, EventType>> = {
  label_printed: 'shipment.shipped',
  label_purchased: 'shipment.shipped',
  confirmed: 'shipment.shipped',
  marked_as_fulfilled: 'shipment.shipped',
  carrier_picked_up: 'shipment.in_transit',
  in_transit: 'shipment.in_transit',
  out_for_delivery: 'shipment.out_for_delivery',
  ready_for_pickup: 'shipment.out_for_delivery',
  attempted_delivery: 'shipment.exception',
  delayed: 'shipment.delayed',
  failure: 'shipment.delayed',
  not_delivered: 'shipment.delayed',
  delivered: 'shipment.delivered',
  picked_up: 'shipment.delivered',
};

export function mapShopify(delivery: ShopifyDelivery, payload: unknown): Mapped {
  const body = record(payload);
  if (body === null) return invalid('body', 'is not a JSON object');
  const base = `shopify:${delivery.webhookId}`;
  switch (delivery.topic) {
    case 'orders/create':
      return orderPlaced(base, body);
    case 'orders/fulfilled':
      return orderFulfilled(base, body);
    case 'orders/cancelled':
      return orderCancelled(base, body);
    case 'fulfillments/create':
    case 'fulfillments/update':
      return fulfillment(base, body, delivery.topic === 'fulfillments/create');
    case 'refunds/create':
      return refund(base, body);
    default:
      return ignored(`topic ${delivery.topic} is not used`);
  }
}

/** The fields every order payload (orders/*) must have. */
function orderHead(body: Fields): { orderId: string; placedAt: Millis } | Mapped {
  const id = idOf(body.id);
  if (id === null) return invalid('id', 'is missing or not an order id');
  const placedAt = isoTime(body.created_at);
  if (placedAt === null) return invalid('created_at', 'is missing or not an ISO 8601 time with an offset');
  return { orderId: `shopify:${id}`, placedAt };
}

function orderPlaced(base: string, body: Fields): Mapped {
  const head = orderHead(body);
  if (isMapped(head)) return head;
  const order = orderInput(body, head.placedAt);
  if (isMapped(order)) return order;
  const customer = customerInput(body);
  if (isMapped(customer)) return customer;
  return events({
    id: base,
    type: 'order.placed',
    at: head.placedAt,
    customerId: null,
    orderId: head.orderId,
    customer,
    order,
    data: orderData(body),
  });
}

function orderFulfilled(base: string, body: Fields): Mapped {
  const head = orderHead(body);
  if (isMapped(head)) return head;
  const order = orderInput(body, head.placedAt);
  if (isMapped(order)) return order;
  const fulfillments = list(body.fulfillments)
    .map(record)
    .filter((f): f is Fields => f !== null);
  const customer = customerInput(body);
  if (isMapped(customer)) return customer;
  // The full order rides along, so an order whose orders/create never arrived still gets its program.
  const context = { customer, order, data: orderData(body) };
  if (fulfillments.length === 0) {
    const at = isoTime(body.updated_at) ?? head.placedAt;
    return events({
      id: base,
      type: 'shipment.shipped',
      at,
      customerId: null,
      orderId: head.orderId,
      ...context,
    });
  }
  const out: DomainEvent[] = [];
  for (const item of fulfillments) {
    const mapped = shipmentEvents(`${base}:${idOf(item.id) ?? out.length}`, item, head.orderId, true);
    if (mapped.kind !== 'events') continue;
    for (const event of mapped.events) {
      out.push({ ...event, customer: context.customer, order });
    }
  }
  return out.length > 0 ? events(...out) : ignored('no fulfillment of this order has shipped');
}

function orderCancelled(base: string, body: Fields): Mapped {
  const head = orderHead(body);
  if (isMapped(head)) return head;
  const at = isoTime(body.cancelled_at) ?? isoTime(body.updated_at) ?? head.placedAt;
  return events({
    id: base,
    type: 'order.cancelled',
    at,
    customerId: null,
    orderId: head.orderId,
    data: { ...orderData(body), reason: text(body.cancel_reason) },
  });
}

function fulfillment(base: string, body: Fields, created: boolean): Mapped {
  const orderId = idOf(body.order_id);
  if (orderId === null) return invalid('order_id', 'is missing or not an order id');
  return shipmentEvents(base, body, `shopify:${orderId}`, created);
}

/**
 * A fulfillment -> shipment events. A new fulfillment is always "shipped" first (the shipped
 * moment times the shipping notice), then whatever further its carrier status already says.
 */
function shipmentEvents(base: string, body: Fields, orderId: string, created: boolean): Mapped {
  const status = text(body.status);
  // Fulfillment states that never shipped: pending/open (not yet), cancelled/error/failure (never).
  if (status !== null && status !== 'success') return ignored(`fulfillment status ${status}`);
  const shipmentStatus = text(body.shipment_status);
  const reported = shipmentStatus === null ? 'shipment.shipped' : SHIPMENT_STATUS[shipmentStatus];
  if (reported === undefined) return ignored(`shipment status ${shipmentStatus ?? ''} is not used`);
  const at = isoTime(created ? body.created_at : body.updated_at) ?? isoTime(body.created_at);
  if (at === null)
    return invalid(created ? 'created_at' : 'updated_at', 'is missing or not an ISO 8601 time');
  const fulfillmentId = idOf(body.id);
  const trackingNumber = text(body.tracking_number) ?? text(list(body.tracking_numbers)[0]);
  const trackingUrl = text(body.tracking_url) ?? text(list(body.tracking_urls)[0]);
  const data = {
    source: 'shopify',
    shipment_id: fulfillmentId === null ? null : `shopify:${fulfillmentId}`,
    carrier: text(body.tracking_company),
    tracking_number: trackingNumber,
    tracking_url: trackingUrl,
    shipment_status: shipmentStatus,
    // The carrier came and could not deliver: a new attempt to arrange, not a late parcel.
    ...(shipmentStatus === 'attempted_delivery' ? { exception: 'failed_attempt' } : {}),
  };
  const event = (id: string, type: EventType): DomainEvent => ({
    id,
    type,
    at,
    customerId: null,
    orderId,
    data,
  });
  const types: EventType[] =
    created && reported !== 'shipment.shipped' ? ['shipment.shipped', reported] : [reported];
  return events(...types.map((type, index) => event(index === 0 ? base : `${base}:${type}`, type)));
}

function refund(base: string, body: Fields): Mapped {
  const orderId = idOf(body.order_id);
  if (orderId === null) return invalid('order_id', 'is missing or not an order id');
  const lines = list(body.refund_line_items)
    .map(record)
    .filter((l): l is Fields => l !== null);
  // A refund of shipping or a goodwill adjustment returns nothing: the program goes on.
  if (lines.length === 0) return ignored('the refund returns no line items');
  const at = isoTime(body.processed_at) ?? isoTime(body.created_at);
  if (at === null) return invalid('created_at', 'is missing or not an ISO 8601 time');
  return events({
    id: base,
    type: 'order.returned',
    at,
    customerId: null,
    orderId: `shopify:${orderId}`,
    data: {
      source: 'shopify',
      refund_id: idOf(body.id),
      note: text(body.note),
      items: lines.map((line) => {
        const item = record(line.line_item);
        return {
          sku: text(item?.sku),
          product_name: text(item?.title) ?? text(item?.name),
          quantity: count(line.quantity),
          restock_type: text(line.restock_type),
        };
      }),
    },
  });
}

/** The buyer; an address that is not exactly one mailbox refuses the payload, naming its field. */
function customerInput(body: Fields): CustomerInput | Mapped {
  const customer = record(body.customer);
  const shipping = record(body.shipping_address);
  const billing = record(body.billing_address);
  let email: string | null = null;
  for (const [field, value] of [
    ['email', body.email],
    ['contact_email', body.contact_email],
    ['customer.email', customer?.email],
  ] as const) {
    const checked = mailboxField(value);
    if ('problem' in checked) return invalid(field, checked.problem);
    email ??= checked.address;
  }
  const shopifyCustomerId = idOf(customer?.id);
  // Only a buyer signed in to an account with a verified address may change contact details;
  // a guest checkout can carry anyone's address and only fills blanks (docs/contact-details.md).
  const account = text(customer?.state) === 'enabled' && customer?.verified_email === true;
  return {
    contactSource: account ? 'account' : 'guest',
    // Without an address, Shopify's customer id keeps repeat orders together; with one, the
    // address-derived id lets the same person from Stripe or a CSV land on the same record.
    customerId: email === null && shopifyCustomerId !== null ? `shopify:${shopifyCustomerId}` : null,
    email,
    firstName: text(customer?.first_name) ?? text(billing?.first_name) ?? text(shipping?.first_name),
    lastName: text(customer?.last_name) ?? text(billing?.last_name) ?? text(shipping?.last_name),
    phone: text(body.phone) ?? text(customer?.phone) ?? text(shipping?.phone) ?? text(billing?.phone),
    timezone:
      zoneForAddress(text(shipping?.country_code), text(shipping?.province_code)) ??
      zoneForAddress(text(billing?.country_code), text(billing?.province_code)),
    locale: text(body.customer_locale),
    segment: record(body.company) !== null ? 'b2b' : null,
    attributes: shopifyCustomerId === null ? {} : { shopify_customer_id: shopifyCustomerId },
  };
}

function orderInput(body: Fields, placedAt: Millis): OrderInput | Mapped {
  const items: LineItem[] = [];
  // Only lines that say they need no shipping make a service; one that might ship keeps it goods.
  let shipsNothing = list(body.line_items).length > 0;
  for (const [index, raw] of list(body.line_items).entries()) {
    const line = record(raw);
    if (line === null) return invalid(`line_items[${index}]`, 'is not an object');
    if (line.requires_shipping !== false) shipsNothing = false;
    const quantity = count(line.quantity);
    if (quantity === null) return invalid(`line_items[${index}].quantity`, 'is not a whole number');
    items.push({
      sku: text(line.sku),
      productName: text(line.title) ?? text(line.name),
      category: text(line.product_type),
      quantity,
      price: decimal(line.price),
    });
  }
  const total = body.total_price === undefined ? null : decimal(body.total_price);
  if (body.total_price !== undefined && total === null) return invalid('total_price', 'is not an amount');
  const currency = text(body.currency);
  const shipping = record(body.shipping_address);
  const orderNumber = count(body.order_number);
  return {
    placedAt,
    // `name` is what Shopify shows the customer (#1042, or the shop's own prefix).
    number: text(body.name) ?? (orderNumber === null ? null : `#${orderNumber}`),
    shippingAddress:
      shipping === null
        ? null
        : shippingAddress({
            name: shipping.name,
            company: shipping.company,
            line1: shipping.address1,
            line2: shipping.address2,
            city: shipping.city,
            region: shipping.province_code ?? shipping.province,
            postalCode: shipping.zip,
            country: shipping.country_code ?? shipping.country,
            phone: shipping.phone,
          }),
    currency: currency !== null && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : null,
    total,
    segment: record(body.company) !== null ? 'b2b' : null,
    kind: shipsNothing ? 'service' : null,
    items,
    attributes: {
      shopify_order_name: text(body.name),
      shopify_order_number: count(body.order_number),
    },
  };
}

function orderData(body: Fields): Record<string, unknown> {
  // The codes the order used (`discount_codes[].code`): an insider offer's code is marked redeemed.
  const codes = list(body.discount_codes)
    .map((d) => text(record(d)?.code))
    .filter((c): c is string => c !== null);
  return {
    source: 'shopify',
    shopify_order_id: idOf(body.id),
    order_name: text(body.name),
    ...(codes.length > 0 ? { discount_codes: codes } : {}),
  };
}
