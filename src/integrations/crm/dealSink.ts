// The deals command as the sink of CRM webhooks: each verified change (hubspot/, pipedrive/)
// becomes a create, an update or a stage change of the deal `source:externalId`
// (core/deals/deal.ts dealIdOf). A change that names a deal we do not know and does not carry
// what a deal needs (HubSpot sends only the stage) is left alone: the rep creates the deal with
// the API or a CSV file, giving the CRM's id as `externalId`, and later changes find it.
import { DateTime } from 'luxon';
import type { Millis } from '../../core/domain.js';
import type { Deal, DealInput } from '../../core/deals/deal.js';
import type { DealCommands } from '../../engine/commands/deals.js';
import type { CrmDealChange, DealChangeSink } from './dealChange.js';

export interface DealSinkOptions {
  /** Where a CRM's calendar day begins when the deal's contact has no zone of its own. */
  defaultTimezone: string;
}

export type DealSinkOutcome = 'created' | 'updated' | 'stage' | 'closed_already' | 'unknown_deal';

/** When the day `date` (YYYY-MM-DD) begins in `zone`; null for anything else. */
export function closeDay(date: string | undefined, zone: string): Millis | null {
  if (date === undefined) return null;
  const day = DateTime.fromISO(date, { zone });
  return day.isValid ? day.startOf('day').toMillis() : null;
}

/** What the change says, completed from the deal we have; null when a deal cannot be made. */
function inputOf(change: CrmDealChange, current: Deal | null, zone: string): DealInput | null {
  const company = change.company ?? current?.company ?? change.title;
  const email = change.contact?.email ?? current?.contact.email;
  const expectedCloseAt =
    closeDay(change.expectedCloseAt, current?.contact.timeZone ?? zone) ?? current?.expectedCloseAt ?? null;
  const value = change.value ?? current?.value;
  if (company === undefined || email === undefined || expectedCloseAt === null || value === undefined) {
    return null;
  }
  return {
    source: change.source,
    externalId: change.externalId,
    company,
    domain: change.domain ?? current?.domain ?? null,
    contact: {
      email,
      name: change.contact?.name ?? current?.contact.name ?? company,
      phone: change.contact?.phone ?? current?.contact.phone ?? null,
      locale: current?.contact.locale ?? null,
      timeZone: current?.contact.timeZone ?? null,
    },
    expectedCloseAt,
    value,
    // A deal in a CRM is business to business unless the rep said otherwise on our side.
    segment: current?.segment ?? 'b2b',
    products: change.products ?? current?.products ?? [],
    stage: change.stage,
  };
}

/**
 * Applies changes oldest first. Applying one twice leaves the deal as once (the same values
 * again), so a redelivery is harmless; a deal an order closed, or lost, stays as it is.
 */
export function dealSink(
  deals: Pick<DealCommands, 'get' | 'upsert' | 'update'>,
  options: DealSinkOptions,
  onOutcome: (change: CrmDealChange, outcome: DealSinkOutcome) => void = () => {},
): DealChangeSink {
  return {
    async apply(changes) {
      const ordered = [...changes].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
      for (const change of ordered) {
        const id = `${change.source}:${change.externalId}`;
        const current = await deals.get(id);
        if (current !== null && (current.orderId !== null || current.stage === 'lost')) {
          onOutcome(change, 'closed_already');
          continue;
        }
        const input = inputOf(change, current, options.defaultTimezone);
        if (input !== null && !(current === null && change.stage === 'lost')) {
          const { created } = await deals.upsert(input);
          onOutcome(change, created ? 'created' : 'updated');
          continue;
        }
        if (current === null) {
          onOutcome(change, 'unknown_deal');
          continue;
        }
        const expectedCloseAt = closeDay(
          change.expectedCloseAt,
          current.contact.timeZone ?? options.defaultTimezone,
        );
        await deals.update(id, {
          stage: change.stage,
          ...(expectedCloseAt !== null ? { expectedCloseAt } : {}),
        });
        onOutcome(change, 'stage');
      }
    },
  };
}
