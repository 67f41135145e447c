// Validated API input -> the domain events intake understands. ISO times become epoch
// milliseconds here, at the edge; ids are the provider's, so sending a fact again is a no-op.
import type {
  CustomerInput,
  DomainEvent,
  LineItem,
  Millis,
  OrderInput as DomainOrderInput,
  ShippingAddress,
} from '../core/domain.js';
import { shippingAddress } from '../core/shippingAddress.js';
import type { z } from 'zod';
import { withListeningKeys } from '../core/listening/dataKeys.js';
import { withReplyTone } from '../integrations/replies/tone.js';
import type {
  EventInput,
  OrderInput,
  customerInput,
  lineItemInput,
  orderFieldsInput,
  shippingAddressInput,
} from './schemas/inputs.js';

function millis(iso: string | null | undefined): Millis | null {
  if (iso === null || iso === undefined) return null;
  const at = Date.parse(iso);
  return Number.isFinite(at) ? at : null;
}

function customerOf(input: z.output<typeof customerInput> | null | undefined): CustomerInput | undefined {
  if (!input) return undefined;
  return {
    customerId: input.id ?? null,
    email: input.email ?? null,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phone: input.phone ?? null,
    timezone: input.timezone ?? null,
    locale: input.locale ?? null,
    segment: input.segment ?? null,
    ...(input.attributes ? { attributes: input.attributes } : {}),
  };
}

function itemsOf(items: z.output<typeof lineItemInput>[] | null | undefined): LineItem[] | undefined {
  return items?.map((item) => ({
    sku: item.sku ?? null,
    productName: item.productName ?? null,
    category: item.category ?? null,
    quantity: item.quantity,
    price: item.price ?? null,
  }));
}

/** The default event id of an order placed through POST /orders. */
export function orderPlacedEventId(orderId: string): string {
  return `order.placed:${orderId}`;
}

export function orderPlacedEvent(input: OrderInput): DomainEvent {
  const placedAt = millis(input.placedAt)!;
  const order: DomainOrderInput = {
    placedAt,
    number: input.number ?? null,
    shippingAddress: addressOf(input.shippingAddress),
    currency: input.currency ?? null,
    total: input.total ?? null,
    segment: input.segment ?? null,
    promisedDeliveryAt: millis(input.promisedDeliveryAt),
    renewalAt: millis(input.renewalAt),
    kind: input.kind ?? null,
    renewalPeriod: input.renewalPeriod ?? null,
    startedAt: millis(input.startedAt),
  };
  const items = itemsOf(input.items);
  if (items) order.items = items;
  if (input.attributes) order.attributes = input.attributes;
  return {
    id: input.eventId ?? orderPlacedEventId(input.id),
    type: 'order.placed',
    at: placedAt,
    customerId: input.customer.id ?? null,
    orderId: input.id,
    customer: customerOf(input.customer),
    order,
    data: {},
  };
}

function orderFieldsOf(
  fields: z.output<typeof orderFieldsInput> | null | undefined,
  shipment: EventInput['shipment'],
  at: Millis,
): DomainOrderInput | undefined {
  if (!fields && !shipment) return undefined;
  // An order first heard of through this event is taken as placed at the event (intake's rule);
  // for a known order, placedAt only changes on order.placed and order.updated.
  const order: DomainOrderInput = { placedAt: millis(fields?.placedAt) ?? at };
  if (fields) {
    order.number = fields.number ?? null;
    order.shippingAddress = addressOf(fields.shippingAddress);
    order.currency = fields.currency ?? null;
    order.total = fields.total ?? null;
    order.segment = fields.segment ?? null;
    order.promisedDeliveryAt = millis(fields.promisedDeliveryAt);
    order.renewalAt = millis(fields.renewalAt);
    order.kind = fields.kind ?? null;
    order.renewalPeriod = fields.renewalPeriod ?? null;
    order.startedAt = millis(fields.startedAt);
    const items = itemsOf(fields.items);
    if (items) order.items = items;
    if (fields.attributes) order.attributes = fields.attributes;
  }
  if (shipment) {
    order.shipment = {
      ...(shipment.id ? { id: shipment.id } : {}),
      carrier: shipment.carrier ?? null,
      trackingNumber: shipment.trackingNumber ?? null,
      trackingUrl: shipment.trackingUrl ?? null,
      shippedAt: millis(shipment.shippedAt),
      deliveredAt: millis(shipment.deliveredAt),
    };
  }
  return order;
}

export function domainEvent(input: EventInput): DomainEvent {
  const at = millis(input.at)!;
  const event: DomainEvent = {
    id: input.id,
    type: input.type,
    at,
    customerId: input.customerId ?? input.customer?.id ?? null,
    orderId: input.orderId ?? null,
    data: withListeningKeys(input.data ?? {}),
  };
  const customer = customerOf(input.customer);
  if (customer) event.customer = customer;
  const order = orderFieldsOf(input.order, input.shipment, at);
  if (order) event.order = order;
  return withReplyTone(event);
}

function addressOf(input: z.output<typeof shippingAddressInput> | null | undefined): ShippingAddress | null {
  if (!input) return null;
  return shippingAddress({
    name: input.name ?? null,
    company: input.company ?? null,
    line1: input.line1 ?? null,
    line2: input.line2 ?? null,
    city: input.city ?? null,
    region: input.region ?? null,
    postalCode: input.postalCode ?? null,
    country: input.country ?? null,
    phone: input.phone ?? null,
  });
}
