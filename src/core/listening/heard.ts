// The events the listener hears: everything a customer says or that tells how they feel. Intake
// stores these unheard; the listener (engine/listening/listener.ts) takes them in order.
import type { EventType } from '../domain.js';

export const LISTENED_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'survey.answered',
  'reply.received',
  'concern.raised',
  'concern.acknowledged',
  'concern.resolved',
  'task.completed',
  'shipment.delayed',
  'shipment.exception',
  'order.returned',
  'order.cancelled',
  'customer.unsubscribed',
  'customer.preferences_changed',
]);

export function isListened(type: EventType): boolean {
  return LISTENED_EVENT_TYPES.has(type);
}
