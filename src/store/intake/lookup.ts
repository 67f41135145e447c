// Which stored entities an incoming event is about, so that every adapter loads the same
// IntakeState: the order by id; the customer of that order, else the one the event names, else
// the one with the event's e-mail address, else the one whose id that address derives (keyed, or
// unkeyed as versions before keyed ids derived it: a customer whose address changed, or an erased
// one, keeps that id but not the address). Ids are trimmed as the intake reducer trims them.
import type { DomainEvent, Order } from '../../core/domain.js';
import { customerIdFor, legacyCustomerIdFor, type IdentityKey } from '../../core/identity.js';

export type CustomerLookup =
  | { by: 'id'; id: string }
  /** `derivedIds`: the ids intake gives (and gave) a customer known only by this address. */
  | { by: 'email'; email: string; derivedIds: [keyed: string, legacy: string] }
  | null;

/** The order id the event names, trimmed; null when none. */
export function eventOrderId(event: DomainEvent): string | null {
  return event.orderId?.trim() || null;
}

/**
 * How to find the event's customer. An existing order decides: it belongs to one customer,
 * whatever id a later event carries (a payment provider's own customer id, say). An e-mail
 * address is used only when the event names no customer id.
 */
export function customerLookup(event: DomainEvent, order: Order | null, key: IdentityKey): CustomerLookup {
  if (order !== null) return { by: 'id', id: order.customerId };
  const id = event.customerId?.trim() || event.customer?.customerId?.trim() || null;
  if (id !== null) return { by: 'id', id };
  const email = normalizedEmail(event.customer?.email);
  if (email === null) return null;
  return { by: 'email', email, derivedIds: [customerIdFor({ email }, key)!, legacyCustomerIdFor(email)] };
}

/** The form addresses are compared in: trimmed, lower-cased; null when empty. */
export function normalizedEmail(email: string | null | undefined): string | null {
  const normalized = email?.trim().toLowerCase() ?? '';
  return normalized === '' ? null : normalized;
}
