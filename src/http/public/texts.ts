// The words of the public pages: their shape, the languages (English, German, French and
// Spanish; any other locale falls back to English), and how a page picks one. Each language is
// one object of this shape in a file of its own (english.ts, german.ts, french.ts, spanish.ts),
// kept apart from the markup.
import { baseStepKey } from '../../core/renewalCycle.js';
import type { ChannelName, Purpose, Survey } from '../../core/domain.js';
import type { OptionalChannel, Topic } from '../../core/listening/types.js';
import { en } from './english.js';
import { fr } from './french.js';
import { de } from './german.js';
import { es } from './spanish.js';

export const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** `de-AT`, `de_DE`, `DE`, `fr-CA` -> de, de, de, fr; anything unknown or missing -> en. */
export function languageOf(locale: string | null | undefined): Language {
  // The primary subtag whole: a three-letter language (`frr`) is not French.
  const primary = ((locale ?? '').trim().split(/[-_]/)[0] ?? '').toLowerCase();
  return LANGUAGES.find((l) => l === primary) ?? 'en';
}

/** The first supported language of an Accept-Language header (pages with no customer behind them). */
export function languageOfHeader(header: string | undefined): Language {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim() ?? '';
    const primary = (tag.split(/[-_]/)[0] ?? '').toLowerCase();
    const found = LANGUAGES.find((l) => l === primary);
    if (found) return found;
  }
  return 'en';
}

export interface Texts {
  lang: Language;
  notFoundTitle: string;
  notFound: string;
  expiredTitle: string;
  expired: string;
  badRequestTitle: string;
  contactsTitle: string;
  writeTo: (email: string) => string;
  callUs: (phone: string) => string;
  escalate: (name: string, email: string) => string;
  replyToAnyMail: string;
  unsubscribeTitle: string;
  unsubscribeExplain: string;
  unsubscribeStill: string;
  unsubscribeAlready: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribedDone: string;
  unsubscribedOneClick: string;
  preferencesLink: string;
  preferencesTitle: string;
  preferencesIntro: string;
  topicsLegend: string;
  topics: Record<Topic, string>;
  channelsLegend: string;
  channels: Record<OptionalChannel, string>;
  pauseLegend: string;
  pauseNone: string;
  pause30: string;
  pauseKeep: (until: string) => string;
  transactionalNote: string;
  saveButton: string;
  saved: string;
  unknownChoice: (field: string, value: string) => string;
  surveyTitle: string;
  surveyQuestion: Record<Survey, (business: string) => string>;
  surveyLow: Record<Survey, string>;
  surveyHigh: Record<Survey, string>;
  commentLabel: string;
  sendButton: string;
  thanksTitle: string;
  thanks: string;
  thanksLow: string;
  changeAnswer: string;
  badScore: (survey: Survey, first: number, last: number) => string;
  commentTooLong: (max: number) => string;
  planTitle: string;
  /** `number`: what the customer knows the order by; null when there is none (never the internal id). */
  planOrder: (number: string | null, placed: string) => string;
  planHappened: string;
  planNothingYet: string;
  planNext: string;
  planNothingNext: string;
  planTimesIn: (zone: string) => string;
  planUnsubscribed: string;
  /** The customer's open concerns: what they told us and that a person has it. */
  planConcernsTitle: string;
  planConcernOpen: (openedOn: string) => string;
  planConcernTaken: (openedOn: string) => string;
  planSent: (when: string) => string;
  planDue: (when: string) => string;
  meetingsTitle: string;
  meetingsIcs: string;
  planHelpTitle: string;
  planPreferencesTitle: string;
  planPreferences: string;
  /** What a step is, by its key in the default playbooks. */
  steps: Record<string, string>;
  /** Fallbacks by channel and purpose, then by channel. */
  kinds: Partial<Record<`${ChannelName}:${Purpose}` | ChannelName, string>>;
  meetingObjectives: Record<string, string>;
  meetingObjective: string;
  meetingTitle: (business: string) => string;
  /** A deal's proposed plan (/proposal): marked as proposed, for the prospect's company. */
  proposalTitle: string;
  proposalBanner: string;
  proposalFor: (company: string, closeOn: string) => string;
  proposalSteps: string;
  proposalOnePager: string;
  proposalClosedTitle: string;
  proposalClosed: string;
  helpTitle: string;
  helpIntro: string;
  /** The "I'm all set, no more tips" page of a tip e-mail. */
  tipsTitle: string;
  tipsAsk: string;
  tipsButton: string;
  tipsStopped: string;
  tipsAlready: string;
}

const TEXTS: Record<Language, Texts> = { en, de, fr, es };

export function textsFor(lang: Language): Texts {
  return TEXTS[lang];
}

/** What a step is, in the customer's words: by step key, else by channel and purpose, else channel. */
export function stepPhrase(t: Texts, touchPointStep: string, channel: ChannelName, purpose: Purpose): string {
  const stepKey = baseStepKey(touchPointStep);
  return t.steps[stepKey] ?? t.kinds[`${channel}:${purpose}`] ?? t.kinds[channel] ?? t.kinds.email ?? stepKey;
}
