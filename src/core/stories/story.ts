// A customer story: what one real customer said about how they got on, told to another buyer
// whose purchase is like theirs. Stories are files (core/stories/parse.ts reads one); only a
// story whose teller gave consent is ever told, and never twice to the same customer.
import type { Segment } from '../domain.js';

export interface StoryTags {
  /** SKUs or product names, compared without regard to case. */
  products: string[];
  categories: string[];
  segments: Segment[];
  /** What the buyer uses it for (`home-office`), as orders and customers name it in `use_case`. */
  useCases: string[];
}

export interface StoryConsent {
  /** Whether the teller agreed to have their story told. False: the story is never used. */
  given: boolean;
  /** Who gave it (a name, or a role at the company). */
  by: string | null;
  /** The day it was given, `YYYY-MM-DD`. */
  on: string | null;
}

export interface Story {
  id: string;
  title: string;
  /** Canonical BCP 47: the language the text is written in (`de`, `en-GB`). */
  locale: string;
  tags: StoryTags;
  consent: StoryConsent;
  /** The teller as they agreed to be named. */
  teller: { name: string; company: string | null };
  /** A made-up story shipped for the demo and previews: never sent to a real customer. */
  sample: boolean;
  text: string;
  /** The file it came from, for messages. */
  file: string;
}

/** What a story was chosen for: the strongest likeness first; null where there is none. */
export interface StoryWhy {
  /** The product (as the order names it) the teller bought too. */
  product: string | null;
  /** The category shared, when no product is. */
  category: string | null;
  useCase: string | null;
  /** The buyer's segment, when the story's teller is in it too. */
  segment: Segment | null;
}

export interface StoryMatch {
  story: Story;
  why: StoryWhy;
  score: number;
}
