// Deals from a CSV file (a CRM export): one deal per row, turned into the same DealInput the API
// and CRM webhooks give. A bad value is a row error naming file, line and column; the other rows
// are still read. Products are one column, separated by ';'.
import type { DealInput } from '../../core/deals/deal.js';
import { DEAL_STAGES, type DealStage } from '../../core/deals/deal.js';
import { isValidZone } from '../../core/localTime.js';
import {
  parseAmount,
  parseCurrency,
  parseEmail,
  parseIso,
  parseKind,
  parseSegment,
  type Parsed,
} from './fields.js';
import { readCsvRecords, type CsvHeader } from './records.js';
import type { CsvRowError } from './rowError.js';

export const DEAL_REQUIRED = [
  'company',
  'contact_email',
  'contact_name',
  'expected_close',
  'amount',
  'currency',
  'segment',
] as const;

export type DealRow =
  { kind: 'deal'; line: number; input: DealInput } | { kind: 'error'; error: CsvRowError };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

function parseStage(text: string): Parsed<DealStage> {
  const stage = DEAL_STAGES.find((s) => s === text.toLowerCase());
  return stage ? ok(stage) : bad(`"${text}" is not a stage; expected ${DEAL_STAGES.join(', ')}`);
}

function parseLeadDays(text: string): Parsed<number> {
  const value = Number(text);
  return /^\d+$/.test(text) && value <= 365
    ? ok(value)
    : bad(`"${text}" is not a number of days from 0 to 365`);
}

function parseZone(text: string): Parsed<string> {
  return isValidZone(text) ? ok(text) : bad(`"${text}" is not an IANA time zone like Europe/Berlin`);
}

export async function* readDealsCsv(file: string, defaultZone: string): AsyncGenerator<DealRow> {
  let header: CsvHeader | null = null;
  for await (const record of readCsvRecords(file, DEAL_REQUIRED, (h) => (header = h))) {
    if (record.kind === 'error') {
      yield { kind: 'error', error: record.error };
      continue;
    }
    const { line, fields } = record;
    const columns = (header as CsvHeader | null)?.index ?? new Map<string, number>();
    const cell = (name: string): string => {
      const i = columns.get(name);
      return i === undefined ? '' : (fields[i] ?? '').trim();
    };
    let error: CsvRowError | null = null;
    /** The parsed cell, or null (and the row's first error noted) when it is bad. */
    function field<T>(name: string, parse: (text: string) => Parsed<T>, required: boolean): T | null {
      const text = cell(name);
      if (text === '') {
        if (required && error === null) error = { file, line, field: name, message: 'is required' };
        return null;
      }
      const parsed = parse(text);
      if (parsed.ok) return parsed.value;
      error ??= { file, line, field: name, message: parsed.message };
      return null;
    }
    const company = field('company', ok, true);
    const email = field('contact_email', parseEmail, true);
    const name = field('contact_name', ok, true);
    const zone = field('timezone', parseZone, false);
    const close = field('expected_close', (t) => parseIso(t, { zone: zone ?? defaultZone }), true);
    const amount = field('amount', parseAmount, true);
    const currency = field('currency', parseCurrency, true);
    const segment = field('segment', parseSegment, true);
    const kind = field('kind', parseKind, false);
    const leadDays = field('lead_days', parseLeadDays, false);
    const stage = field('stage', parseStage, false);
    if (error !== null) {
      yield { kind: 'error', error };
      continue;
    }
    const optional = (column: string): string | null => cell(column) || null;
    yield {
      kind: 'deal',
      line,
      input: {
        source: optional('source') ?? (optional('deal_id') ? 'csv' : null),
        externalId: optional('deal_id'),
        company: company!,
        domain: optional('domain'),
        contact: {
          email: email!,
          name: name!,
          phone: optional('contact_phone'),
          locale: optional('locale'),
          timeZone: zone,
        },
        owner: optional('owner'),
        expectedCloseAt: close!,
        value: { amount: amount!, currency: currency! },
        segment: segment!,
        kind,
        leadDays,
        products: cell('products')
          .split(';')
          .map((p) => p.trim())
          .filter((p) => p !== ''),
        stage,
      },
    };
  }
}
