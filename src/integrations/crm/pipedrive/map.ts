// Pipedrive's webhooks v2: one JSON object per change, `meta` (action create/change/delete,
// entity, entity_id, company_id, timestamp), `data` (the deal after the change: status
// open/won/lost, stage_id, title, value and currency, expected_close_date, person and
// organization) and `previous` (what changed, or the deleted deal). Webhooks v1 (`meta.object`,
// `current`) are refused with the version to pick. Entities other than deals are ignored.
import { createHash } from 'node:crypto';
import type { Millis } from '../../../core/domain.js';
import { isPlausibleFact } from '../../../core/plausibleTime.js';
import { decimal, idOf, isoTime, list, mailboxField, record, text, type Fields } from '../../payload.js';
import type { CrmDealChange, DealStage } from '../dealChange.js';
import { calendarDate, change, currencyCode, ignored, invalid, type CrmMapped } from '../mapped.js';

const ACTIONS = ['create', 'change', 'delete'] as const;
const STATUSES: readonly DealStage[] = ['open', 'won', 'lost'];

export function mapPipedriveEvent(value: unknown, now: Millis): CrmMapped {
  const body = record(value);
  if (body === null) return invalid('body', 'is not a Pipedrive webhook object');
  const meta = record(body.meta);
  if (meta === null) return invalid('meta', 'is missing');
  if (meta.entity === undefined && meta.object !== undefined)
    return invalid('meta.version', 'is 1.0; create the webhook with version "2.0" (webhooks v2)');
  const entity = text(meta.entity);
  if (entity === null) return invalid('meta.entity', 'is missing');
  if (entity !== 'deal') return ignored(`${entity} events are not about deals`);
  const action = ACTIONS.find((name) => name === meta.action);
  if (action === undefined) return invalid('meta.action', 'is not create, change or delete');

  const data = record(body.data);
  const previous = record(body.previous);
  const deal = idOf(meta.entity_id) ?? idOf(data?.id) ?? idOf(previous?.id);
  if (deal === null) return invalid('meta.entity_id', 'is not a deal id');
  const at = pipedriveTime(meta.timestamp) ?? pipedriveTime(data?.update_time);
  if (at === null || !isPlausibleFact(at, now)) return invalid('meta.timestamp', 'is not a time near now');
  const company = idOf(meta.company_id);

  let stage: DealStage = 'lost';
  let stageLabel = 'deleted';
  // A deleted deal is described by `previous` (v2 sends `data: null`).
  const described = action === 'delete' ? (previous ?? data ?? {}) : data;
  if (described === null) return invalid('data', 'is missing (the deal after the change)');
  if (action !== 'delete') {
    const status = described.status === 'deleted' ? null : STATUSES.find((name) => name === described.status);
    if (status === undefined) return invalid('data.status', 'is not open, won or lost');
    if (status !== null) {
      stage = status;
      const stageId = idOf(described.stage_id);
      stageLabel = status === 'open' ? (stageId === null ? 'open' : `stage ${stageId}`) : status;
    }
  }
  const read = dealDetails(described, 'data.');
  // What a deleted deal was matters little: a problem in it does not keep the deletion out.
  if ('problem' in read && action !== 'delete') return invalid(read.field, read.problem);
  const details = 'fields' in read ? read.fields : {};

  const digest = createHash('sha256')
    .update(JSON.stringify([body.data ?? null, body.previous ?? null]))
    .digest('hex')
    .slice(0, 16);
  return change({
    // The same change redelivered (meta.attempt grows) keeps its time and content.
    id: `pipedrive:${company ?? '-'}:${deal}:${action}:${at}:${digest}`,
    source: 'pipedrive',
    externalId: deal,
    ...(company !== null ? { account: company } : {}),
    stage,
    stageLabel,
    ...details,
    occurredAt: new Date(at).toISOString(),
  });
}

type Details = Pick<
  CrmDealChange,
  'title' | 'company' | 'contact' | 'expectedCloseAt' | 'value' | 'products'
>;

function dealDetails(deal: Fields, prefix: string): { fields: Details } | { field: string; problem: string } {
  const fields: Details = {};
  const title = text(deal.title);
  if (title !== null) fields.title = title.slice(0, 500);

  const close = deal.expected_close_date;
  if (close !== undefined && close !== null) {
    const date = typeof close === 'string' ? calendarDate(close) : null;
    if (date === null)
      return { field: `${prefix}expected_close_date`, problem: 'is not a date like 2026-07-15' };
    fields.expectedCloseAt = date;
  }

  // Deals send a number and `currency`; other v2 objects an object { amount, currency }.
  const valueObject = record(deal.value);
  const rawAmount = valueObject ? valueObject.amount : deal.value;
  if (rawAmount !== undefined && rawAmount !== null) {
    const amount = decimal(rawAmount);
    if (amount === null || amount < 0) return { field: `${prefix}value`, problem: 'is not an amount' };
    const currency = currencyCode(valueObject ? valueObject.currency : deal.currency);
    if (currency === null) return { field: `${prefix}currency`, problem: 'is not a currency code like EUR' };
    fields.value = { amount, currency };
  }

  const org = record(deal.org) ?? record(deal.organization);
  const company = text(deal.org_name) ?? text(org?.name);
  if (company !== null) fields.company = company.slice(0, 200);

  const person = record(deal.person);
  const contact: NonNullable<Details['contact']> = {};
  const name = text(deal.person_name) ?? text(person?.name);
  if (name !== null) contact.name = name.slice(0, 200);
  // A contact detail Aftercare cannot use is left out; the deal's stage still counts.
  const email = mailboxField(primary(person?.email));
  if ('address' in email && email.address !== null) contact.email = email.address;
  const phone = primary(person?.phone);
  if (phone !== null && /^[+\d][\d\s().-]{3,30}$/.test(phone)) contact.phone = phone;
  if (Object.keys(contact).length > 0) fields.contact = contact;

  const products = list(deal.products)
    .map((item) => (typeof item === 'string' ? text(item) : text(record(item)?.name)))
    .filter((item): item is string => item !== null)
    .slice(0, 100);
  if (products.length > 0) fields.products = products;
  return { fields };
}

/** Pipedrive writes a person's addresses and numbers as [{ value, primary }], or as one string. */
function primary(value: unknown): string | null {
  if (typeof value === 'string') return text(value);
  const items = list(value).map(record);
  const chosen = items.find((item) => item?.primary === true) ?? items[0];
  return text(chosen?.value);
}

/**
 * Pipedrive's times: ISO 8601 (webhooks v2), Unix seconds or milliseconds, or v1's
 * `2025-02-17 21:22:41` in UTC.
 */
export function pipedriveTime(value: unknown): Millis | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0)
    return Math.round(value < 1e11 ? value * 1000 : value);
  const raw = text(value);
  if (raw === null) return null;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(raw)) return isoTime(`${raw.replace(' ', 'T')}Z`);
  return isoTime(raw);
}
