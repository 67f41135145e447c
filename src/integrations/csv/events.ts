// Streams an events CSV (type, at, whose: order_id / customer_id / email, optional JSON data)
// into domain events: lifecycle facts that arrive after the order, such as a delay or a delivery
// from a carrier export, and what customers said (survey answers, replies, concerns, the
// outcomes of reps' tasks), which belong to the customer rather than one order.
import { INPUT_EVENT_TYPES, ORDER_EVENT_TYPES, type DomainEvent, type EventType } from '../../core/domain.js';
import { withListeningKeys } from '../../core/listening/dataKeys.js';
import { EXCEPTION_KINDS, isExceptionKind } from '../../core/shipmentException.js';
import { isForbiddenKey, parseJsonData } from '../json.js';
import { withReplyTone } from '../replies/tone.js';
import { parseEmail, parseIso } from './fields.js';
import { readCsvRecords, type CsvHeader } from './records.js';
import type { CsvRowError } from './rowError.js';

export const EVENT_REQUIRED_COLUMNS = ['type', 'at'] as const;
/** Understood besides the required ones; any other column is copied into `data` (JSON data wins). */
export const EVENT_COLUMNS = [...EVENT_REQUIRED_COLUMNS, 'order_id', 'data', 'customer_id', 'email'] as const;

export interface EventsCsvOptions {
  /** Zone for times written without an offset. Default UTC. */
  defaultTimezone?: string;
}

export type EventsCsvItem =
  | { kind: 'event'; line: number; bytes: number; event: DomainEvent }
  | { kind: 'rejected'; line: number; bytes: number; errors: CsvRowError[] };

const TYPES = new Set<string>(INPUT_EVENT_TYPES);
const KNOWN = new Set<string>(EVENT_COLUMNS);

function isEventType(value: string): value is EventType {
  return TYPES.has(value);
}

function parseData(text: string): { value: Record<string, unknown> } | { message: string } {
  let value: unknown;
  try {
    value = parseJsonData(text);
  } catch {
    return { message: 'is not valid JSON; expected an object such as {"carrier":"DHL"}' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { message: 'must be a JSON object such as {"carrier":"DHL"}' };
  }
  return { value: value as Record<string, unknown> };
}

export function parseEventRow(
  file: string,
  header: CsvHeader,
  line: number,
  fields: string[],
  zone: string,
): { event: DomainEvent } | { errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const cell = (column: string): string | null => {
    const i = header.index.get(column);
    const value = i === undefined ? '' : (fields[i] ?? '').trim();
    return value === '' ? null : value;
  };
  const orderId = cell('order_id');
  const customerId = cell('customer_id');
  const emailText = cell('email');
  const emailParsed = emailText === null ? null : parseEmail(emailText);
  if (emailParsed?.ok === false) errors.push({ file, line, field: 'email', message: emailParsed.message });
  const email = emailParsed?.ok === true ? emailParsed.value : null;
  const typeText = cell('type');
  let type: EventType | null = null;
  if (typeText === null) errors.push({ file, line, field: 'type', message: 'is required but empty' });
  else if (isEventType(typeText)) type = typeText;
  else
    errors.push({
      file,
      line,
      field: 'type',
      message: `"${typeText}" is not an event type; expected one of ${INPUT_EVENT_TYPES.join(', ')}`,
    });
  if (orderId === null) {
    // Order events need their order; what a customer said needs only to say who they are.
    if (type === null || ORDER_EVENT_TYPES.has(type)) {
      errors.push({ file, line, field: 'order_id', message: 'is required but empty' });
    } else if (customerId === null && emailText === null) {
      errors.push({
        file,
        line,
        field: 'order_id',
        message: 'is empty, and so are customer_id and email: name one',
      });
    }
  }
  const atText = cell('at');
  let at: number | null = null;
  if (atText === null) errors.push({ file, line, field: 'at', message: 'is required but empty' });
  else {
    const parsed = parseIso(atText, { zone });
    if (parsed.ok) at = parsed.value;
    else errors.push({ file, line, field: 'at', message: parsed.message });
  }
  const data: Record<string, unknown> = {};
  header.names.forEach((name, i) => {
    const value = (fields[i] ?? '').trim();
    if (!KNOWN.has(name) && !isForbiddenKey(name) && value !== '') data[name] = value;
  });
  const dataText = cell('data');
  if (dataText !== null) {
    const parsed = parseData(dataText);
    if ('message' in parsed) errors.push({ file, line, field: 'data', message: parsed.message });
    else Object.assign(data, parsed.value);
  }
  // An `exception` column or data key says which kind of shipping problem it was.
  const exception = data.exception;
  if (
    (type === 'shipment.exception' || (type === 'shipment.delayed' && exception !== undefined)) &&
    !isExceptionKind(exception)
  ) {
    errors.push({
      file,
      line,
      field: 'exception',
      message: `${exception === undefined ? 'is required for shipment.exception' : `${JSON.stringify(exception)} is not a shipping exception`}; expected one of ${EXCEPTION_KINDS.join(', ')}`,
    });
  }
  if (data.id !== undefined && (typeof data.id !== 'string' || data.id === '')) {
    errors.push({ file, line, field: 'data', message: '"id" must be a non-empty string' });
  }
  if (errors.length > 0 || type === null || at === null) return { errors };
  const whose = orderId ?? customerId ?? email?.toLowerCase();
  const event: DomainEvent = {
    id: typeof data.id === 'string' ? data.id : `csv-event:${whose}:${type}:${new Date(at).toISOString()}`,
    type,
    at,
    customerId,
    orderId,
    data: withListeningKeys(data),
  };
  if (email !== null) event.customer = { email };
  return { event: withReplyTone(event) };
}

export async function* readEventsCsv(
  file: string,
  options: EventsCsvOptions = {},
): AsyncGenerator<EventsCsvItem> {
  const zone = options.defaultTimezone ?? 'UTC';
  const read: { header: CsvHeader | null } = { header: null };
  for await (const record of readCsvRecords(file, EVENT_REQUIRED_COLUMNS, (h) => (read.header = h))) {
    if (record.kind === 'error') {
      yield { kind: 'rejected', line: record.error.line, bytes: record.bytes, errors: [record.error] };
      continue;
    }
    if (read.header === null) continue;
    const parsed = parseEventRow(file, read.header, record.line, record.fields, zone);
    yield 'event' in parsed
      ? { kind: 'event', line: record.line, bytes: record.bytes, event: parsed.event }
      : { kind: 'rejected', line: record.line, bytes: record.bytes, errors: parsed.errors };
  }
}
