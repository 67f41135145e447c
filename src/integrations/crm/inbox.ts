// CRM deliveries in the webhook inbox. The inbox holds domain events; a verified CRM event waits
// there as an envelope holding the source and the payload as received, under the change's id,
// with no customer. The inbox drain takes envelopes out before intake (drain.ts), so they never
// reach the timeline: a deal is not yet anybody's customer.
import type { DomainEvent, EventType, Millis } from '../../core/domain.js';
import { record } from '../payload.js';
import { CRM_SOURCES, type CrmDealChange, type CrmSource } from './dealChange.js';

/**
 * The envelope's type. Deliberately not one of the domain's event types (so no API, CSV or
 * playbook can name it); should an envelope ever reach intake, it names no customer and intake
 * rejects it (`unknown_customer`) instead of recording anything.
 */
export const CRM_DELIVERY_TYPE = 'crm.delivery';

export interface CrmDelivery {
  source: CrmSource;
  /** The CRM's event exactly as parsed from the verified body (HubSpot: one element of the array). */
  payload: unknown;
}

export function crmInboxEvent(change: CrmDealChange, payload: unknown, receivedAt: Millis): DomainEvent {
  const occurred = Date.parse(change.occurredAt);
  return {
    id: change.id,
    type: CRM_DELIVERY_TYPE as string as EventType,
    at: Number.isFinite(occurred) ? occurred : receivedAt,
    customerId: null,
    orderId: null,
    data: { crm: { source: change.source, payload } },
  };
}

/** The delivery an inbox event holds, or null when it is a domain event. */
export function crmDeliveryOf(event: DomainEvent): CrmDelivery | null {
  if ((event.type as string) !== CRM_DELIVERY_TYPE) return null;
  const crm = record(event.data.crm);
  // Read field by field: an entry written by another version must not stop the drain.
  const source = CRM_SOURCES.find((name) => name === crm?.source);
  return { source: source ?? 'hubspot', payload: source === undefined ? null : crm?.payload };
}
