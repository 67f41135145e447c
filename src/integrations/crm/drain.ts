// The inbox drain's side of the CRM webhooks: envelopes (inbox.ts) are taken out of each batch
// before intake, mapped again from their payload (with the stage lists configured now) and handed
// to the DealChangeSink in one call; the domain events go on to intake. Results keep the batch's
// order, as the drain expects.
import type { DomainEvent, Millis } from '../../core/domain.js';
import type { CrmConfig } from '../../config/crm.js';
import { HUBSPOT_DEFAULT_STAGES } from '../../config/crm.js';
import type { Intake } from '../../engine/intake.js';
import type { IntakeResult } from '../../store/ports/intake.js';
import type { CrmDealChange, DealChangeSink } from './dealChange.js';
import { mapHubSpotEvent } from './hubspot/map.js';
import { crmDeliveryOf, type CrmDelivery } from './inbox.js';
import type { CrmMapped } from './mapped.js';
import { mapPipedriveEvent } from './pipedrive/map.js';

/** Why the drain dropped an envelope; it counts as rejected and is logged with the event id. */
export const CRM_UNREADABLE = 'crm_unreadable';

/** Maps one stored delivery as the receiving route did. */
export function mapCrmDelivery(delivery: CrmDelivery, config: CrmConfig, now: Millis): CrmMapped {
  switch (delivery.source) {
    case 'hubspot':
      return mapHubSpotEvent(
        delivery.payload,
        config.hubspot ?? { wonStages: HUBSPOT_DEFAULT_STAGES.won, lostStages: HUBSPOT_DEFAULT_STAGES.lost },
        now,
      );
    case 'pipedrive':
      return mapPipedriveEvent(delivery.payload, now);
  }
}

/**
 * Intake as the inbox drain sees it, with CRM envelopes applied to `sink` first. Without a sink
 * a batch holding envelopes fails, so they stay in the inbox for a process that has one.
 */
export function applyingDealChanges(
  intake: Pick<Intake, 'ingest'>,
  sink: DealChangeSink | null,
  config: CrmConfig,
  now: () => Millis,
): Pick<Intake, 'ingest'> {
  return {
    async ingest(events) {
      const results: (IntakeResult | null)[] = [];
      const others: DomainEvent[] = [];
      const changes: CrmDealChange[] = [];
      const ids = new Set<string>();
      for (const event of events) {
        const delivery = crmDeliveryOf(event);
        if (delivery === null) {
          results.push(null);
          others.push(event);
          continue;
        }
        const mapped = mapCrmDelivery(delivery, config, now());
        if (mapped.kind !== 'change') {
          results.push(crmResult(event.id, false, CRM_UNREADABLE));
        } else if (ids.has(mapped.change.id)) {
          results.push(crmResult(event.id, true, null));
        } else {
          ids.add(mapped.change.id);
          changes.push(mapped.change);
          results.push(crmResult(event.id, false, null));
        }
      }
      if (changes.length > 0) {
        if (sink === null)
          throw new Error('deal changes from CRM webhooks are waiting, but no DealChangeSink is wired');
        // Before intake: if intake then fails, the sink sees these again, which it must allow.
        await sink.apply(changes);
      }
      const applied = others.length > 0 ? await intake.ingest(others) : [];
      let next = 0;
      return results.map((result) => result ?? applied[next++]!);
    },
  };
}

function crmResult(eventId: string, duplicate: boolean, rejected: string | null): IntakeResult {
  return { eventId, duplicate, customerId: null, orderId: null, planned: 0, cancelled: 0, rejected };
}
