// Which discount codes an order used, read from the event that brought it: `data.discount_codes`
// (the webhooks' mappers put the shop's codes there: Shopify's `discount_codes`, Stripe's
// expanded promotion codes) or the order's `discount_code` / `discount_codes` attribute (a CSV
// column or the API's `order.attributes`; several codes separated by commas). Normalized.
import type { DomainEvent } from '../domain.js';
import { normalizeCode } from './offer.js';

const ORDER_EVENTS: ReadonlySet<string> = new Set(['order.placed']);

export function discountCodesOf(event: DomainEvent): string[] {
  if (!ORDER_EVENTS.has(event.type) || event.orderId === null) return [];
  const found: string[] = [];
  const take = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const part of value.split(',')) if (part.trim() !== '') found.push(normalizeCode(part));
    } else if (Array.isArray(value)) {
      for (const item of value) take(item);
    }
  };
  take(event.data['discount_codes']);
  const attributes = event.order?.attributes ?? {};
  take(attributes['discount_code']);
  take(attributes['discount_codes']);
  return [...new Set(found)].filter((c) => c.length <= 200);
}
