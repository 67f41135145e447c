// HubSpot's webhook deliveries (Webhooks API v3): a JSON array of up to 100 events, each naming
// only ids and, for a property change, the property's new value. A deal's stage change is
// `deal.propertyChange` with `propertyName: "dealstage"` (or the generic `object.propertyChange`
// with `objectTypeId: "0-3"`); the stage's internal value says won or lost through the configured
// stage lists. A deleted deal (`deal.deletion`) is lost. Every other event is ignored.
import type { Millis } from '../../../core/domain.js';
import { isPlausibleFact } from '../../../core/plausibleTime.js';
import { idOf, record, text } from '../../payload.js';
import type { DealStage } from '../dealChange.js';
import { change, ignored, invalid, type CrmMapped } from '../mapped.js';

/** Internal `dealstage` values that close a deal (src/config/crm.ts). */
export interface HubSpotStages {
  wonStages: readonly string[];
  lostStages: readonly string[];
}

/** HubSpot's object type id of deals, in generic (`object.*`) subscriptions. */
const DEAL_OBJECT_TYPE = '0-3';

export function mapHubSpotEvent(value: unknown, stages: HubSpotStages, now: Millis): CrmMapped {
  const event = record(value);
  if (event === null) return invalid('', 'is not an event object');
  const type = text(event.subscriptionType);
  if (type === null) return invalid('subscriptionType', 'is missing');
  const generic = type.startsWith('object.') && text(event.objectTypeId) === DEAL_OBJECT_TYPE;
  const action = type.startsWith('deal.') ? type.slice(5) : generic ? type.slice(7) : null;
  if (action !== 'propertyChange' && action !== 'deletion')
    return ignored(`${type} is not a deal's stage change`);
  if (action === 'propertyChange' && event.propertyName !== 'dealstage')
    return ignored(`a change of ${text(event.propertyName) ?? 'a property'} is not a deal's stage change`);

  const portal = idOf(event.portalId);
  if (portal === null) return invalid('portalId', 'is not an id');
  const subscription = idOf(event.subscriptionId);
  if (subscription === null) return invalid('subscriptionId', 'is not an id');
  const eventId = idOf(event.eventId);
  if (eventId === null) return invalid('eventId', 'is not an id');
  const deal = idOf(event.objectId);
  if (deal === null) return invalid('objectId', 'is not an id');
  const at = typeof event.occurredAt === 'number' ? event.occurredAt : NaN;
  if (!Number.isSafeInteger(at) || !isPlausibleFact(at, now))
    return invalid('occurredAt', 'is not a time in milliseconds since 1970 near now');

  let stage: DealStage = 'lost';
  let stageLabel = 'deleted';
  if (action === 'propertyChange') {
    const value = text(event.propertyValue);
    if (value === null) return invalid('propertyValue', 'is missing (the new deal stage)');
    if (value.length > 100) return invalid('propertyValue', 'is longer than a deal stage id');
    stageLabel = value;
    stage = stages.wonStages.includes(value) ? 'won' : stages.lostStages.includes(value) ? 'lost' : 'open';
  }
  return change({
    // A retry keeps the event's ids; eventId alone is not unique across subscriptions.
    id: `hubspot:${portal}:${subscription}:${eventId}`,
    source: 'hubspot',
    externalId: deal,
    account: portal,
    stage,
    stageLabel,
    occurredAt: new Date(at).toISOString(),
  });
}
