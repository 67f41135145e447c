// A story file -> a validated Story, or every problem as FILE:LINE:COLUMN field: message.
// The file is Markdown with YAML front matter (docs/content.md, "How to add a story"):
//
//   ---
//   id: lamp-home-office
//   title: A calmer desk
//   locale: en
//   teller: { name: Maria K., company: null }
//   tags: { products: [LAMP-1], categories: [lighting], segments: [b2c], use_cases: [home-office] }
//   consent: { given: true, by: Maria K., on: 2026-03-14 }
//   ---
//   The story itself, in the teller's words.
//
// Pure: app/stories.ts reads the files.
import { z } from 'zod';
import { SEGMENTS } from '../domain.js';
import { type PlaybookIssue } from '../playbook/parse.js';
import { readYamlMap, schemaIssues } from '../yamlMap.js';
import type { Story } from './story.js';

export type StoryIssue = PlaybookIssue;
export type StoryParseResult = { ok: true; story: Story } | { ok: false; issues: StoryIssue[] };

/** A story is a paragraph or three; a larger file is a mistake. */
export const MAX_STORY_BYTES = 16 * 1024;
/** Longest story text told in a message, in characters. */
export const MAX_STORY_TEXT = 2000;

const required = (text: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : text;
const words = z
  .string({ error: required('must be text') })
  .trim()
  .min(1, 'must not be empty');
const list = z.array(words, { error: required('must be a list of text') });

const schema = z.strictObject({
  id: z
    .string({ error: required('must be text') })
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, like lamp-home-office'),
  title: words,
  locale: z
    .string({ error: required('must be a locale such as en, de or fr-CA') })
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a locale such as en, de or fr-CA'),
  teller: z.strictObject(
    { name: words, company: words.nullable().optional() },
    { error: required('must be a map with name (and company)') },
  ),
  tags: z.strictObject(
    {
      products: list.optional(),
      categories: list.optional(),
      segments: z
        .array(z.enum(SEGMENTS, { error: `must be one of ${SEGMENTS.join(', ')}` }), {
          error: required('must be a list of segments'),
        })
        .optional(),
      use_cases: list.optional(),
    },
    { error: required('must be a map of products, categories, segments and use_cases') },
  ),
  consent: z.strictObject(
    {
      given: z.boolean({ error: required('must be true or false') }),
      by: words.optional(),
      on: z
        .union([z.string(), z.date()], { error: required('must be a date like 2026-03-14') })
        .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
        .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-14'))
        .optional(),
    },
    { error: required('must be a map with given (true or false), by and on') },
  ),
  sample: z.boolean({ error: required('must be true or false') }).optional(),
});

const KNOWN_KEYS = [
  ...['id', 'title', 'locale', 'teller', 'tags', 'consent', 'sample', 'name', 'company'],
  ...['products', 'categories', 'segments', 'use_cases', 'given', 'by', 'on'],
];

/** Splits `---\nfront matter\n---\nbody`; null when the file does not start with front matter. */
function split(text: string): { front: string; body: string; bodyLine: number } | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') return null;
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0) return null;
  return {
    front: lines.slice(1, end).join('\n'),
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
  };
}

export function parseStory(text: string, file: string): StoryParseResult {
  const at = (line: number, field: string, message: string): StoryIssue => ({
    file,
    line,
    column: 1,
    field,
    message,
  });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_STORY_BYTES) {
    return {
      ok: false,
      issues: [at(1, '', `a story is ${bytes} bytes; at most ${MAX_STORY_BYTES} are read`)],
    };
  }
  const parts = split(text);
  if (parts === null) {
    return {
      ok: false,
      issues: [at(1, '', 'a story starts with front matter between two "---" lines, then its text')],
    };
  }
  const read = readYamlMap(parts.front, file, {
    what: 'the front matter',
    maxBytes: MAX_STORY_BYTES,
    maxAliases: 0,
    notAMap: 'the front matter must be a YAML map with id, title, locale, teller, tags and consent',
  });
  // The front matter starts on the file's second line.
  const shift = (issue: StoryIssue): StoryIssue => ({ ...issue, line: issue.line + 1 });
  if (!read.ok) return { ok: false, issues: read.issues.map(shift) };
  const { data, issue } = read;
  const issues: StoryIssue[] = [];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    issues.push(...schemaIssues(parsed.error, issue, KNOWN_KEYS).map(shift));
  }
  const body = parts.body.trim();
  if (body === '') issues.push(at(parts.bodyLine, 'text', 'the story has no text after the front matter'));
  else if (body.length > MAX_STORY_TEXT) {
    issues.push(
      at(
        parts.bodyLine,
        'text',
        `is ${body.length} characters; a story told in a message is at most ${MAX_STORY_TEXT}`,
      ),
    );
  }
  if (!parsed.success || issues.length > 0) return { ok: false, issues };
  const raw = parsed.data;
  if (raw.consent.given && (raw.consent.by === undefined || raw.consent.on === undefined)) {
    const missing = raw.consent.by === undefined ? 'by' : 'on';
    issues.push(
      shift(issue(['consent', missing], 'is required when consent is given: who gave it (by) and when (on)')),
    );
  }
  const tags = raw.tags;
  if (!tags.products?.length && !tags.categories?.length && !tags.use_cases?.length) {
    issues.push(
      shift(
        issue(
          ['tags'],
          'needs products, categories or use_cases: a story is told for a likeness to the purchase',
        ),
      ),
    );
  }
  if (issues.length > 0) return { ok: false, issues };
  let locale: string;
  try {
    locale = Intl.getCanonicalLocales(raw.locale)[0] ?? raw.locale;
  } catch {
    return { ok: false, issues: [shift(issue(['locale'], 'must be a locale such as en, de or fr-CA'))] };
  }
  return {
    ok: true,
    story: {
      id: raw.id,
      title: raw.title,
      locale,
      tags: {
        products: tags.products ?? [],
        categories: tags.categories ?? [],
        segments: tags.segments ?? [],
        useCases: tags.use_cases ?? [],
      },
      consent: { given: raw.consent.given, by: raw.consent.by ?? null, on: raw.consent.on ?? null },
      teller: { name: raw.teller.name, company: raw.teller.company ?? null },
      sample: raw.sample ?? false,
      text: body,
      file,
    },
  };
}
