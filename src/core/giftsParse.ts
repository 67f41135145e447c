// The gift catalogue's YAML text -> a validated GiftCatalogue, or every problem, each with file,
// line, column and field (`tiers[1].up_to`), like playbooks. Pure: config/gifts.ts reads the file.
import { z } from 'zod';
import { type PlaybookIssue } from './playbook/parse.js';
import { inFileOrder, readYamlSchema } from './yamlMap.js';
import type { GiftCatalogue } from './gifts.js';

export type GiftCatalogueIssue = PlaybookIssue;
export type GiftCatalogueResult =
  { ok: true; catalogue: GiftCatalogue } | { ok: false; issues: GiftCatalogueIssue[] };

/** A catalogue is a short list; a larger file is a mistake (or an attack on start-up time). */
export const MAX_GIFTS_BYTES = 64 * 1024;

const required = (text: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : text;
const name = z
  .string({ error: required('must be text') })
  .trim()
  .min(1, 'must not be empty');
const money = z
  .number({ error: required('must be a number in the base currency, like 25') })
  .finite()
  .min(0, 'must be 0 or more');

const schema = z.strictObject({
  currency: z
    .string({ error: required('must be a three-letter currency code like USD') })
    .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code like USD')
    .optional(),
  tiers: z
    .array(
      z.strictObject({
        name,
        up_to: money.positive('must be above 0').optional(),
        budget: money,
      }),
      { error: required('must be a list of tiers') },
    )
    .min(1, 'must list at least one tier'),
  gifts: z.array(
    z.strictObject({
      name,
      cost: money,
      categories: z.array(name, { error: required('must be a list of product categories') }).optional(),
      note: z.string({ error: required('must be text') }).optional(),
    }),
    { error: required('must be a list of gifts') },
  ),
});

const KNOWN_KEYS = ['currency', 'tiers', 'gifts', 'name', 'up_to', 'budget', 'cost', 'categories', 'note'];

/** `baseCurrency`: what order.total_base is in (AFTERCARE_BASE_CURRENCY); the catalogue must agree. */
export function parseGiftCatalogue(text: string, source: string, baseCurrency: string): GiftCatalogueResult {
  const read = readYamlSchema(
    text,
    source,
    {
      what: 'the gift catalogue',
      maxBytes: MAX_GIFTS_BYTES,
      // No aliases: a catalogue has no use for them, and they are how YAML bombs expand.
      maxAliases: 0,
      notAMap: 'a gift catalogue must be a YAML map with tiers and gifts',
    },
    schema,
    KNOWN_KEYS,
  );
  if (!read.ok) return read;
  const { data: raw, issue } = read;
  const issues: GiftCatalogueIssue[] = [];
  if (raw.currency !== undefined && raw.currency !== baseCurrency) {
    issues.push(
      issue(
        ['currency'],
        `is ${raw.currency}, but amounts are compared in the base currency ${baseCurrency} (AFTERCARE_BASE_CURRENCY)`,
      ),
    );
  }
  const seen = new Map<string, number>();
  let bound: number | undefined;
  raw.tiers.forEach((tier, i) => {
    const first = seen.get(tier.name);
    if (first !== undefined)
      issues.push(issue(['tiers', i, 'name'], `"${tier.name}" is also tiers[${first}]`));
    else seen.set(tier.name, i);
    const last = i === raw.tiers.length - 1;
    if (tier.up_to === undefined && !last) {
      issues.push(
        issue(['tiers', i], 'only the last tier may leave out up_to (it takes every larger order)'),
      );
    }
    // Bounds rise: a tier below an earlier bound could never be chosen.
    if (tier.up_to !== undefined && bound !== undefined && tier.up_to <= bound) {
      issues.push(issue(['tiers', i, 'up_to'], `must be above the up_to of the tiers before it (${bound})`));
    }
    if (tier.up_to !== undefined) bound = Math.max(bound ?? tier.up_to, tier.up_to);
  });
  const gifts = new Map<string, number>();
  raw.gifts.forEach((gift, i) => {
    const first = gifts.get(gift.name);
    if (first !== undefined)
      issues.push(issue(['gifts', i, 'name'], `"${gift.name}" is also gifts[${first}]`));
    else gifts.set(gift.name, i);
  });
  if (issues.length > 0) return { ok: false, issues: inFileOrder(issues) };
  return {
    ok: true,
    catalogue: {
      currency: raw.currency ?? baseCurrency,
      tiers: raw.tiers.map((t) => ({ name: t.name, upTo: t.up_to ?? null, budget: t.budget })),
      gifts: raw.gifts.map((g) => ({
        name: g.name,
        cost: g.cost,
        categories: g.categories ?? [],
        note: g.note?.trim() ? g.note.trim() : null,
      })),
      source,
    },
  };
}
