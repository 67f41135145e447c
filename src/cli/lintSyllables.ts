// Syllables for the reading-ease rule: English words by `syllable` (rules and an exception list,
// maintained by wooorm); German, French and Spanish by the TeX hyphenation patterns of `hyphen`
// (the approach of Python's textstat with Pyphen). Patterns never split off a single letter
// ("aber" stays whole), so for German and Spanish, whose spelling marks every syllable with a
// vowel group, the larger of the two counts is taken; French keeps the patterns' count, which
// knows its silent e ("commande": two).
import { createRequire } from 'node:module';
import { syllable } from 'syllable';
import type { SyllableCounter } from '../core/content/readability.js';

interface Hyphenator {
  hyphenateSync(text: string, options: { hyphenChar: string; minWordLength: number }): string;
}

const require = createRequire(import.meta.url);
const PATTERNS: Record<string, string> = { de: 'hyphen/de', fr: 'hyphen/fr', es: 'hyphen/es' };
const loaded = new Map<string, Hyphenator>();
const SOFT_HYPHEN = '\u00ad';

function hyphenator(language: string): Hyphenator | null {
  const module = PATTERNS[language];
  if (module === undefined) return null;
  let found = loaded.get(language);
  if (found === undefined) {
    found = require(module) as Hyphenator;
    loaded.set(language, found);
  }
  return found;
}

export const countSyllables: SyllableCounter = (word, language) => {
  const patterns = hyphenator(language);
  if (patterns === null) return syllable(word);
  const lower = word.toLowerCase();
  const parts = patterns
    .hyphenateSync(lower, { hyphenChar: SOFT_HYPHEN, minWordLength: 1 })
    .split(SOFT_HYPHEN).length;
  const vowels = VOWEL_GROUPS[language];
  const groups = vowels === undefined ? 0 : (lower.match(vowels) ?? []).length;
  return Math.max(parts, groups);
};

const VOWEL_GROUPS: Record<string, RegExp> = { de: /[aeiouyäöü]+/g, es: /[aeiouáéíóúü]+/g };
