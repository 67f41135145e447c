// A tip series file's YAML text -> a validated TipSeries, or every problem, each with file,
// line, column and field (`tips[1].de.subject`), like playbooks and the gift catalogue. Pure:
// config/tips.ts reads the folder. The format is documented in docs/content.md.
import { z } from 'zod';
import { SEGMENTS } from '../domain.js';
import { type PlaybookIssue } from '../playbook/parse.js';
import { inFileOrder, readYamlSchema } from '../yamlMap.js';
import type { TipSeries, TipText } from './series.js';

export type TipSeriesIssue = PlaybookIssue;
export type TipSeriesResult = { ok: true; series: TipSeries } | { ok: false; issues: TipSeriesIssue[] };

/** A series is a handful of short tips; a larger file is a mistake. */
export const MAX_TIP_SERIES_BYTES = 64 * 1024;
export const MAX_TIPS = 12;
export const MAX_TIP_SUBJECT = 120;
export const MAX_TIP_TEXT = 2000;

const SLUG = /^[a-z0-9-]+$/;
/** `en`, `de`, `fr-CA`, `pt-BR`: a language, optionally a region. */
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

const required = (text: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : text;
const name = z
  .string({ error: required('must be text') })
  .trim()
  .min(1, 'must not be empty');
const names = z.array(name, { error: required('must be a list') });

const tipText = z.strictObject({
  subject: name.max(MAX_TIP_SUBJECT, `must be at most ${MAX_TIP_SUBJECT} characters`),
  text: name.max(MAX_TIP_TEXT, `must be at most ${MAX_TIP_TEXT} characters`),
});

const schema = z.strictObject({
  id: z
    .string({ error: required('must be text') })
    .regex(SLUG, 'must use only lower-case letters, digits and -'),
  description: z.string({ error: required('must be text') }).optional(),
  match: z
    .strictObject({
      products: names.optional(),
      categories: names.optional(),
      segments: z
        .array(z.enum(SEGMENTS, { error: required(`must be one of: ${SEGMENTS.join(', ')}`) }), {
          error: required('must be a list'),
        })
        .optional(),
    })
    .optional(),
  fallback_locale: z
    .string({ error: required('must be a locale like en') })
    .regex(LOCALE, 'must be a locale like en or fr-CA')
    .optional(),
  tips: z
    .array(
      z.record(z.string(), tipText, { error: required('must be a map of locale -> subject and text') }),
      {
        error: required('must be a list of tips'),
      },
    )
    .min(1, 'must list at least one tip')
    .max(MAX_TIPS, `must list at most ${MAX_TIPS} tips`),
});

const KNOWN_KEYS = [
  'id',
  'description',
  'match',
  'products',
  'categories',
  'segments',
  'fallback_locale',
  'tips',
  'subject',
  'text',
];

export function parseTipSeries(text: string, source: string): TipSeriesResult {
  const read = readYamlSchema(
    text,
    source,
    {
      what: 'a tip series',
      maxBytes: MAX_TIP_SERIES_BYTES,
      maxAliases: 0,
      notAMap: 'a tip series must be a YAML map with id, match and tips',
    },
    schema,
    KNOWN_KEYS,
  );
  if (!read.ok) return read;
  const { data: raw, issue } = read;
  const issues: TipSeriesIssue[] = [];
  const fallback = raw.fallback_locale ?? 'en';
  raw.tips.forEach((tip, i) => {
    for (const locale of Object.keys(tip)) {
      if (!LOCALE.test(locale))
        issues.push(issue(['tips', i, locale], `"${locale}" is not a locale like en or fr-CA`, true));
    }
    if (tip[fallback] === undefined) {
      issues.push(
        issue(
          ['tips', i],
          `has no ${fallback} text (every tip needs the fallback locale ${fallback}; set fallback_locale to change it)`,
        ),
      );
    }
  });
  if (issues.length > 0) return { ok: false, issues: inFileOrder(issues) };
  return {
    ok: true,
    series: {
      id: raw.id,
      match: {
        products: raw.match?.products ?? [],
        categories: raw.match?.categories ?? [],
        segments: raw.match?.segments ?? [],
      },
      fallbackLocale: raw.fallback_locale ?? 'en',
      tips: raw.tips.map((tip) => ({
        texts: Object.fromEntries(
          Object.entries(tip).map(([locale, t]): [string, TipText] => [
            locale,
            { subject: t.subject, text: t.text.trim() },
          ]),
        ),
      })),
      source,
    },
  };
}
