// The content linter's rules: pure functions over one rendered message (subject and text, the
// step's purpose and channel, the locale) that return findings. Each rule has a stable id and a
// severity (docs/content-lint.md); the CLI (cli/lint.ts) renders, finds lines and prints.
import type { ChannelName, Purpose } from '../domain.js';
import { languageOf, wordsFor, type LocaleWords } from './lintWords.js';
import { proseOf, readingEase, type SyllableCounter } from './readability.js';

export type Severity = 'error' | 'warning';

export const RULES = {
  'pushy-language': { severity: 'error', summary: 'selling words in a reassurance or transactional message' },
  'offer-outside-offer-step': {
    severity: 'error',
    summary: 'a discount, coupon or "% off" outside a step of purpose offer',
  },
  urgency: { severity: 'error', summary: 'pressure of time ("act now", "last chance", "only today")' },
  'all-caps': { severity: 'warning', summary: 'a shouted word in capitals' },
  'missing-unsubscribe': {
    severity: 'error',
    summary: 'a non-transactional e-mail without its unsubscribe link',
  },
  'missing-postal-address': {
    severity: 'error',
    summary: "a non-transactional e-mail without the business's postal address",
  },
  'missing-support-path': {
    severity: 'error',
    summary: 'a reassurance message that does not say how to get help',
  },
  'too-long': { severity: 'warning', summary: 'a subject or body longer than a reader will take in' },
  'reading-ease': { severity: 'warning', summary: "a body harder to read than its language's threshold" },
  'article-slip': {
    severity: 'error',
    summary: '"a" before a vowel sound or "an" before a consonant (English)',
  },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleId = keyof typeof RULES;

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** Text to look for in the template's source to find the line; empty: the file as a whole. */
  needles: string[];
}

/** What a message must contain, as the sample context rendered them. */
export interface MessageFacts {
  businessName: string;
  postalAddress: string;
  supportEmail: string;
  supportPhone: string | null;
  /** The links the context offered; null when the step has none of that kind. */
  unsubscribeUrl: string | null;
  helpUrl: string | null;
}

export interface LintMessage {
  locale: string;
  purpose: Purpose;
  channel: ChannelName;
  subject: string;
  text: string;
  facts: MessageFacts;
}

export const LIMITS = {
  /** Subjects are cut at 60-70 characters in most inboxes, shorter on phones. */
  subjectCharacters: 70,
  /** Words before the footer. */
  bodyWords: 250,
  /** Two SMS segments. */
  smsCharacters: 306,
};

const ACRONYMS = new Set([
  'CSAT',
  'HTTP',
  'HTTPS',
  'IBAN',
  'USPS',
  'FEDEX',
  'ASCII',
  'UTC',
  'GDPR',
  'DSGVO',
  'RGPD',
]);

export function lintMessage(message: LintMessage, countSyllables: SyllableCounter): Finding[] {
  const words = wordsFor(message.locale);
  const customerFacing = !message.channel.startsWith('task:') && message.channel !== 'webhook';
  const { body } = splitFooter(message.text);
  const prose = proseOf(`${message.subject}\n${message.text}`);
  const findings: Finding[] = [];
  // Task scripts brief a person ("no discount code, do not upsell"): their words are not said to
  // the customer as written, so only the rules about how text reads apply to them.
  if (customerFacing) findings.push(...language(message, prose, words));
  findings.push(...shouting(prose, message.facts.businessName));
  if (languageOf(message.locale) === 'en') findings.push(...articleSlips(prose));
  if (customerFacing) findings.push(...required(message, words));
  if (customerFacing) findings.push(...length(message, body, countSyllables));
  return findings;
}

function language(message: LintMessage, prose: string, words: LocaleWords): Finding[] {
  const out: Finding[] = [];
  if (message.purpose === 'reassurance' || message.purpose === 'transactional') {
    out.push(
      ...phrases(prose, words.pushy, 'pushy-language', (w) => `"${w}" sells in a ${message.purpose} message`),
    );
  }
  if (message.purpose !== 'offer') {
    out.push(
      ...phrases(
        prose,
        words.offer,
        'offer-outside-offer-step',
        (w) => `"${w}" is an offer; only a step of purpose offer makes one`,
      ),
    );
  }
  out.push(...phrases(prose, words.urgency, 'urgency', (w) => `"${w}" presses for time`));
  return out;
}

function finding(rule: RuleId, message: string, needles: string[] = []): Finding {
  return { rule, severity: RULES[rule].severity, message, needles };
}

const LETTER = '[\\p{L}\\p{N}]';

function phraseRegex(phrase: string): RegExp {
  const escaped = phrase
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/['’]/g, "['’]")
    .replace(/ /g, '\\s+');
  // "% off" and the like are about a number: "20 % off", "20% off".
  const body = phrase.startsWith('%') ? `\\d+\\s?${escaped}` : escaped;
  return new RegExp(`(?<!${LETTER})${body}(?!${LETTER})`, 'giu');
}

const compiled = new Map<string, RegExp>();

function phrases(
  prose: string,
  list: readonly string[],
  rule: RuleId,
  say: (found: string) => string,
): Finding[] {
  const out: Finding[] = [];
  for (const phrase of list) {
    let regex = compiled.get(phrase);
    if (regex === undefined) compiled.set(phrase, (regex = phraseRegex(phrase)));
    regex.lastIndex = 0;
    const match = regex.exec(prose);
    if (match !== null) out.push(finding(rule, say(match[0]), [match[0]]));
  }
  return out;
}

function shouting(prose: string, businessName: string): Finding[] {
  const own = new Set(businessName.split(/\s+/));
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const match of prose.matchAll(/(?<![\p{L}\p{N}])\p{Lu}{4,}(?![\p{L}\p{N}])/gu)) {
    const word = match[0];
    if (ACRONYMS.has(word) || own.has(word) || seen.has(word)) continue;
    seen.add(word);
    out.push(finding('all-caps', `"${word}" shouts; write it in lower case`, [word]));
  }
  return out;
}

/** "u" read as "you", "o" as "wa", "eu" as "you": these take "a". */
const A_BEFORE_VOWEL_LETTER = /^(uni|use|usu|uti|ura|uro|eu|ewe|one|once|ufo|ubiq)/i;
/** A silent "h", and capital letters read by name with a vowel sound (an SMS, an FAQ): these take "an". */
const AN_BEFORE_CONSONANT_LETTER = /^(hour|honest|honou?r|heir)/i;
const VOWEL_SOUND_LETTERS = /^[FHLMNRSX][A-Z]*$/;

function articleSlips(prose: string): Finding[] {
  const out: Finding[] = [];
  const article = /(?<![\p{L}\p{N}'’-])(a|an|A|An)[ \t]+(\p{L}[\p{L}\p{N}'’-]*)/gu;
  for (const match of prose.matchAll(article)) {
    const [, word = '', next = ''] = match;
    // A capital "A" mid-sentence is a label ("plan A"), not an article.
    if (word.startsWith('A') && !atSentenceStart(prose, match.index)) continue;
    const acronym = /^\p{Lu}{2,}$/u.test(next);
    const wantsAn = acronym
      ? VOWEL_SOUND_LETTERS.test(next) || /^[AEIO]/.test(next)
      : /^[aeiou]/i.test(next)
        ? !A_BEFORE_VOWEL_LETTER.test(next)
        : AN_BEFORE_CONSONANT_LETTER.test(next);
    const isAn = word.length === 2;
    if (wantsAn === isAn) continue;
    const right = isAn ? word.slice(0, 1) : `${word}n`;
    out.push(
      finding('article-slip', `"${word} ${next}" should read "${right} ${next}"`, [
        `${word} ${next}`,
        `${word} {{`,
      ]),
    );
  }
  return out;
}

function atSentenceStart(prose: string, index: number): boolean {
  const before = prose.slice(0, index).replace(/[ \t]+$/, '');
  return before === '' || /[.!?:\n]$/.test(before);
}

function required(message: LintMessage, words: LocaleWords): Finding[] {
  const { text, facts, purpose, channel } = message;
  const out: Finding[] = [];
  if (channel === 'email' && purpose !== 'transactional') {
    if (facts.unsubscribeUrl === null || !text.includes(facts.unsubscribeUrl)) {
      out.push(
        finding(
          'missing-unsubscribe',
          `a ${purpose} e-mail must carry the unsubscribe link ({{ links.unsubscribe }})`,
        ),
      );
    }
    const firstLine = facts.postalAddress.split('\n')[0]?.trim() ?? '';
    if (firstLine === '' || !text.includes(firstLine)) {
      out.push(
        finding(
          'missing-postal-address',
          `a ${purpose} e-mail must show the postal address ({{ business.postal_address }})`,
        ),
      );
    }
  }
  if (purpose === 'reassurance') {
    const lower = text.toLowerCase();
    const ways = [facts.supportEmail, facts.supportPhone, facts.helpUrl].filter(
      (w): w is string => w !== null && w !== '',
    );
    const reachable =
      ways.some((way) => text.includes(way)) ||
      words.replyForHelp.some((cue) => phraseRegex(cue).test(lower));
    if (!reachable) {
      out.push(
        finding(
          'missing-support-path',
          'a reassurance message must say how to get help ({{ business.support_email }}, a phone number, or "reply")',
        ),
      );
    }
  }
  return out;
}

function length(message: LintMessage, body: string, countSyllables: SyllableCounter): Finding[] {
  const out: Finding[] = [];
  if (message.channel === 'sms') {
    if (message.text.length > LIMITS.smsCharacters) {
      out.push(
        finding(
          'too-long',
          `the SMS has ${message.text.length} characters (at most ${LIMITS.smsCharacters}, two segments)`,
        ),
      );
    }
    return out;
  }
  if (message.subject.length > LIMITS.subjectCharacters) {
    out.push(
      finding(
        'too-long',
        `the subject has ${message.subject.length} characters (at most ${LIMITS.subjectCharacters} show in an inbox)`,
        ['subject:'],
      ),
    );
  }
  const words = (proseOf(body).match(/[\p{L}\p{N}]+/gu) ?? []).length;
  if (words > LIMITS.bodyWords) {
    out.push(
      finding('too-long', `the body has ${words} words before the footer (at most ${LIMITS.bodyWords})`),
    );
  }
  const ease = readingEase(body, message.locale, countSyllables);
  if (ease !== null && ease.score < ease.threshold) {
    out.push(
      finding(
        'reading-ease',
        `reading ease ${ease.score} (${ease.formula}) is below ${ease.threshold}: ${ease.words} words in ${ease.sentences} sentences, ${(ease.syllables / ease.words).toFixed(2)} syllables a word; use shorter sentences and words`,
      ),
    );
  }
  return out;
}

/** The body before the last `--` line (the footer of _footer.liquid), and the footer. */
export function splitFooter(text: string): { body: string; footer: string } {
  const at = text.lastIndexOf('\n--\n');
  return at < 0 ? { body: text, footer: '' } : { body: text.slice(0, at), footer: text.slice(at + 4) };
}
