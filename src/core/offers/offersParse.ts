// The offers file's YAML text -> a validated OfferCatalogue, or every problem, each with file,
// line, column and field (`offers[1].codes.prefix`), like the gift catalogue. Pure:
// config/offers.ts reads the file.
import { z } from 'zod';
import { tryParseDuration, DURATION_HINT } from '../playbook/duration.js';
import type { PathSegment } from '../playbook/conditionSyntax.js';
import { type PlaybookIssue } from '../playbook/parse.js';
import { inFileOrder, readYamlSchema } from '../yamlMap.js';
import type { Offer, OfferCatalogue } from './offer.js';

export type OffersResult = { ok: true; catalogue: OfferCatalogue } | { ok: false; issues: PlaybookIssue[] };

export const MAX_OFFERS_BYTES = 256 * 1024;
export const DEFAULT_MIN_TEMPERATURE = 60;
export const DEFAULT_AFTER_DELIVERY = '21d';
export const DEFAULT_CAP = { max: 1, per: '90d' };

const required = (text: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : text;
const words = z
  .string({ error: required('must be text') })
  .trim()
  .min(1, 'must not be empty');
const localizedText = z
  .record(z.string().regex(/^[a-z]{2}$/, 'must be a two-letter language like en or de'), words, {
    error: required('must be a map of languages to text, like { en: ..., de: ... }'),
  })
  .refine((m) => typeof m['en'] === 'string', 'must have the English text (en), the fallback');
const time = z.union([z.string(), z.date()], { error: required('must be a time like 2026-05-01T00:00:00Z') });
const duration = z.string({ error: required(`must be ${DURATION_HINT}`) });

const schema = z.strictObject({
  offers: z.array(
    z.strictObject({
      id: z
        .string({ error: required('must be text') })
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
      steps: z
        .array(words, { error: required('must be a list of step keys') })
        .min(1)
        .optional(),
      title: localizedText,
      text: localizedText,
      insiders_from: time,
      public_from: time,
      codes: z.discriminatedUnion(
        'source',
        [
          z.strictObject({
            source: z.literal('generated'),
            prefix: z
              .string({ error: required('must be text') })
              .regex(/^[A-Z0-9-]{0,16}$/, 'must be at most 16 upper-case letters, digits or dashes')
              .optional(),
            length: z.number().int().min(6, 'must be at least 6').max(32, 'must be at most 32').optional(),
          }),
          z.strictObject({ source: z.literal('imported') }),
        ],
        { error: () => 'must be { source: generated } or { source: imported }' },
      ),
      eligibility: z
        .strictObject({
          min_temperature: z.number().int().min(0).max(100, 'must be 0..100').optional(),
          after_delivery: duration.optional(),
        })
        .optional(),
      cap: z
        .strictObject({
          max: z.number().int().min(1, 'must be at least 1'),
          per: duration,
        })
        .optional(),
    }),
    { error: required('must be a list of offers') },
  ),
});

const KNOWN_KEYS = [
  'offers',
  'id',
  'steps',
  'title',
  'text',
  'insiders_from',
  'public_from',
  'codes',
  'source',
  'prefix',
  'length',
  'eligibility',
  'min_temperature',
  'after_delivery',
  'cap',
  'max',
  'per',
];

function timeOf(value: string | Date): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  // An offset is required: a bare local time would mean a different moment on every server.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

export function parseOffers(text: string, source: string): OffersResult {
  const read = readYamlSchema(
    text,
    source,
    {
      what: 'the offers file',
      maxBytes: MAX_OFFERS_BYTES,
      maxAliases: 0,
      notAMap: 'an offers file must be a YAML map with a list of offers',
    },
    schema,
    KNOWN_KEYS,
  );
  if (!read.ok) return read;
  const { data, issue } = read;
  const issues: PlaybookIssue[] = [];
  const offers: Offer[] = [];
  const seen = new Map<string, number>();
  data.offers.forEach((raw, i) => {
    const at = (...path: PathSegment[]): PathSegment[] => ['offers', i, ...path];
    const first = seen.get(raw.id);
    if (first !== undefined) issues.push(issue(at('id'), `"${raw.id}" is also offers[${first}]`));
    else seen.set(raw.id, i);
    const insidersFrom = timeOf(raw.insiders_from);
    const publicFrom = timeOf(raw.public_from);
    if (insidersFrom === null)
      issues.push(issue(at('insiders_from'), 'must be a time with an offset, like 2026-05-01T00:00:00Z'));
    if (publicFrom === null)
      issues.push(issue(at('public_from'), 'must be a time with an offset, like 2026-05-15T00:00:00Z'));
    if (insidersFrom !== null && publicFrom !== null && publicFrom <= insidersFrom)
      issues.push(issue(at('public_from'), 'must be after insiders_from (insiders come first)'));
    const afterText = raw.eligibility?.after_delivery ?? DEFAULT_AFTER_DELIVERY;
    const afterDeliveryMs = tryParseDuration(afterText);
    if (afterDeliveryMs === null)
      issues.push(issue(at('eligibility', 'after_delivery'), `must be ${DURATION_HINT}`));
    const capText = raw.cap?.per ?? DEFAULT_CAP.per;
    const capMs = tryParseDuration(capText);
    if (capMs === null) issues.push(issue(at('cap', 'per'), `must be ${DURATION_HINT}`));
    if (insidersFrom === null || publicFrom === null || afterDeliveryMs === null || capMs === null) return;
    offers.push({
      id: raw.id,
      steps: raw.steps ?? ['insider-offer'],
      title: raw.title,
      text: raw.text,
      insidersFrom,
      publicFrom,
      codes:
        raw.codes.source === 'generated'
          ? { kind: 'generated', prefix: raw.codes.prefix ?? '', length: raw.codes.length ?? 10 }
          : { kind: 'imported' },
      minTemperature: raw.eligibility?.min_temperature ?? DEFAULT_MIN_TEMPERATURE,
      afterDeliveryMs,
      cap: { max: raw.cap?.max ?? DEFAULT_CAP.max, windowMs: capMs },
    });
  });
  if (issues.length > 0) return { ok: false, issues: inFileOrder(issues) };
  return { ok: true, catalogue: { offers, source } };
}
