// Which story a buyer is told, if any: pure, and the same answer for the same input, so a send
// that is retried (or repeated after a crash) tells the same story under the same Message-ID.
// A story must share the product, the category or the use with the purchase; the segment only
// adds to that. It must be written in the language the message is in, its teller must have
// consented, and the customer must not have been told it before.
import type { Segment } from '../domain.js';
import type { Story, StoryMatch, StoryWhy } from './story.js';

export interface StoryBuyer {
  segment: Segment;
  items: readonly { sku: string | null; productName: string | null; category: string | null }[];
  useCases: readonly string[];
  /** The locale the message is written in (the template variant's, or the base language). */
  locale: string;
  /** Ids of the stories this customer has been told already. */
  told: ReadonlySet<string>;
}

export const STORY_SCORE = { product: 100, category: 30, useCase: 10, segment: 5, region: 1 } as const;

const norm = (value: string): string => value.trim().toLowerCase();

export function languageOf(locale: string): string {
  return norm(locale.split('-')[0] ?? '');
}

/** The best story for this buyer, or null when none may be told. */
export function matchStory(stories: readonly Story[], buyer: StoryBuyer): StoryMatch | null {
  let best: StoryMatch | null = null;
  for (const story of stories) {
    const found = scoreStory(story, buyer);
    if (found === null) continue;
    if (best === null || found.score > best.score || (found.score === best.score && story.id < best.story.id))
      best = found;
  }
  return best;
}

/** This story's likeness to the buyer, or null when it may not be told to them. */
export function scoreStory(story: Story, buyer: StoryBuyer): StoryMatch | null {
  if (!story.consent.given || buyer.told.has(story.id)) return null;
  if (languageOf(story.locale) !== languageOf(buyer.locale)) return null;
  const products = new Set(story.tags.products.map(norm));
  const categories = new Set(story.tags.categories.map(norm));
  const uses = new Set(story.tags.useCases.map(norm));
  const why: StoryWhy = { product: null, category: null, useCase: null, segment: null };
  for (const item of buyer.items) {
    if (why.product === null) {
      for (const name of [item.sku, item.productName]) {
        if (name !== null && products.has(norm(name))) {
          why.product = item.productName ?? name;
          break;
        }
      }
    }
    if (why.category === null && item.category !== null && categories.has(norm(item.category)))
      why.category = item.category;
  }
  for (const use of buyer.useCases) {
    if (uses.has(norm(use))) {
      why.useCase = use;
      break;
    }
  }
  if (why.product !== null) why.category = null;
  if (why.product === null && why.category === null && why.useCase === null) return null;
  if (story.tags.segments.includes(buyer.segment)) why.segment = buyer.segment;
  let score =
    (why.product !== null ? STORY_SCORE.product : 0) +
    (why.category !== null ? STORY_SCORE.category : 0) +
    (why.useCase !== null ? STORY_SCORE.useCase : 0) +
    (why.segment !== null ? STORY_SCORE.segment : 0);
  // The very same regional variant (de-AT for de-AT) over the language alone.
  if (norm(story.locale) === norm(buyer.locale)) score += STORY_SCORE.region;
  return { story, why, score };
}

/**
 * What the buyer uses the purchase for: `use_case` or `use_cases` (text or a list of text) on
 * the order's attributes, else on the customer's.
 */
export function useCasesOf(...sources: readonly Record<string, unknown>[]): string[] {
  for (const attributes of sources) {
    const out: string[] = [];
    for (const key of ['use_case', 'use_cases']) {
      const value = attributes[key];
      const list = Array.isArray(value) ? value : [value];
      for (const v of list) if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
    }
    if (out.length > 0) return out;
  }
  return [];
}
