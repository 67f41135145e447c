// Reading ease per language, each on the familiar 0-100 scale where higher reads easier:
// Flesch (1948) for English, Amstad's German adaptation (1978), Kandel & Moles' French one
// (1958) and Fernández Huerta's Spanish one (1959, in its corrected form). Syllables are counted
// by the caller (a dictionary-backed counter is no business of the pure core).
import { languageOf } from './lintWords.js';

export interface ReadingEase {
  /** The formula used. */
  formula: 'flesch' | 'amstad' | 'kandel-moles' | 'fernandez-huerta';
  score: number;
  words: number;
  sentences: number;
  syllables: number;
  /** Below this, the text is "fairly difficult" for its language: the rule warns. */
  threshold: number;
}

export type SyllableCounter = (word: string, language: string) => number;

const FORMULAS = {
  en: {
    formula: 'flesch',
    threshold: 60,
    score: (asl: number, asw: number) => 206.835 - 1.015 * asl - 84.6 * asw,
  },
  de: { formula: 'amstad', threshold: 50, score: (asl: number, asw: number) => 180 - asl - 58.5 * asw },
  fr: {
    formula: 'kandel-moles',
    threshold: 50,
    score: (asl: number, asw: number) => 207 - 1.015 * asl - 73.6 * asw,
  },
  // 206.84 - 0.60 P - 1.02 F, with P syllables and F sentences per 100 words.
  es: {
    formula: 'fernandez-huerta',
    threshold: 60,
    score: (asl: number, asw: number) => 206.84 - 60 * asw - 102 / asl,
  },
} as const;

const WORD = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;

/** Null for a language without a formula here, or a text of fewer than `minWords` words. */
export function readingEase(
  text: string,
  locale: string,
  countSyllables: SyllableCounter,
  minWords = 30,
): ReadingEase | null {
  const language = languageOf(locale);
  const formula = FORMULAS[language as keyof typeof FORMULAS];
  if (formula === undefined) return null;
  const prose = proseOf(text);
  // A line of its own (a heading, a list item) is a sentence too, even without a full stop.
  const sentences = prose.split(/[.!?…]+(?=\s|$)|\n+/).filter((s) => (s.match(WORD) ?? []).length > 0).length;
  const words = prose.match(WORD) ?? [];
  if (words.length < minWords || sentences === 0) return null;
  let syllables = 0;
  for (const word of words) syllables += Math.max(1, countSyllables(word, language));
  const asl = words.length / sentences;
  const asw = syllables / words.length;
  return {
    formula: formula.formula,
    score: Math.round(formula.score(asl, asw) * 10) / 10,
    words: words.length,
    sentences,
    syllables,
    threshold: formula.threshold,
  };
}

/** The text without web and e-mail addresses, numbers and list bullets: what is read as words. */
export function proseOf(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/^[ \t]*[-*•][ \t]+/gm, '');
}
