// AfterShip tracking webhooks -> shipment events. The event id is AfterShip's `event_id` (inside
// the signed body); the order is found by the order id the tracking carries.
import type { EventType, Millis } from '../../core/domain.js';
import { exceptionOf, type ExceptionKind } from '../../core/shipmentException.js';
import { events, ignored, invalid, type Mapped } from '../mapping.js';
import { idOf, isoTime, list, record, text, unixSeconds, type Fields } from '../payload.js';

/** AfterShip delivery tags -> what they mean for the order; the rest change nothing. */
const TAGS: Readonly<Record<string, EventType>> = {
  InTransit: 'shipment.in_transit',
  OutForDelivery: 'shipment.out_for_delivery',
  // Waiting at a pickup point is the last step before the customer has it, like a courier's van.
  AvailableForPickup: 'shipment.out_for_delivery',
  AttemptFail: 'shipment.exception',
  // Which kind of exception (late, damaged, lost, returned to sender) the subtag message says.
  Exception: 'shipment.delayed',
  Delivered: 'shipment.delivered',
};

export function mapAfterShip(payload: unknown): Mapped {
  const body = record(payload);
  if (body === null) return invalid('body', 'is not a JSON object');
  const eventId = idOf(body.event_id);
  if (eventId === null) return invalid('event_id', 'is missing or not an id');
  const kind = text(body.event);
  if (kind !== 'tracking_update') return ignored(`event ${kind ?? 'without a name'} is not used`);
  const msg = record(body.msg);
  if (msg === null) return invalid('msg', 'is not an object');
  const tag = text(msg.tag);
  if (tag === null) return invalid('msg.tag', 'is missing');
  const mapped = TAGS[tag];
  if (mapped === undefined) return ignored(`tag ${tag} is not used`);
  const orderId = orderIdOf(msg);
  if (orderId === null)
    return ignored('the tracking names no order (order_id or custom_fields.aftercare_order_id)');
  const at = eventTime(msg) ?? unixSeconds(body.ts);
  if (at === null) return invalid('ts', 'is not a Unix timestamp');
  const message = text(msg.subtag_message);
  const exception = msg.return_to_sender === true ? 'returned_to_sender' : exceptionKindOf(tag, message);
  // The first in-transit scan is the moment it shipped, for shops whose only shipping news is the carrier's.
  const type: EventType =
    mapped === 'shipment.in_transit' && body.is_tracking_first_tag === true
      ? 'shipment.shipped'
      : exception !== null && exception !== 'late'
        ? 'shipment.exception'
        : mapped;
  return events({
    id: `aftership:${eventId}`,
    type,
    at,
    customerId: null,
    orderId,
    data: {
      source: 'aftership',
      tag,
      ...(exception === null ? {} : { exception }),
      subtag: text(msg.subtag),
      message,
      carrier: text(msg.slug),
      tracking_number: text(msg.tracking_number),
      tracking_url: text(msg.courier_tracking_link) ?? text(msg.aftership_tracking_url),
      expected_delivery: text(msg.expected_delivery),
    },
  });
}

/** AttemptFail is a failed attempt; an Exception is what its subtag message says (else late). */
function exceptionKindOf(tag: string, message: string | null): ExceptionKind | null {
  if (tag === 'AttemptFail') return 'failed_attempt';
  if (tag !== 'Exception') return null;
  return exceptionOf({ type: 'shipment.exception', data: { message } });
}

/**
 * The Aftercare order id: `custom_fields.aftercare_order_id` when the shop set it; otherwise
 * AfterShip's `order_id`, namespaced as `shopify:<id>` for trackings AfterShip imported from
 * Shopify (whose order_id is Shopify's order id), as is for trackings created through its API.
 */
export function orderIdOf(msg: Fields): string | null {
  const explicit = idOf(record(msg.custom_fields)?.aftercare_order_id);
  if (explicit !== null) return explicit;
  const orderId = idOf(msg.order_id);
  if (orderId === null) return null;
  return text(msg.source)?.toLowerCase() === 'shopify' ? `shopify:${orderId}` : orderId;
}

/** When the carrier scanned it: the newest checkpoint with a full timestamp. */
function eventTime(msg: Fields): Millis | null {
  const times = list(msg.checkpoints)
    .map((checkpoint) => isoTime(record(checkpoint)?.checkpoint_time))
    .filter((time): time is Millis => time !== null);
  return times.length > 0 ? Math.max(...times) : null;
}
