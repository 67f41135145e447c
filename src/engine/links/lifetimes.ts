// How long each kind of link keeps working after the message that carries it is sent. An
// unsubscribe link must keep working long after the mail (laws and mailbox providers expect
// it); a survey answer is only worth having while the experience is fresh.
import type { Millis } from '../../core/domain.js';
import type { LinkPurpose } from './token.js';

const DAY = 86_400_000;

export type LinkLifetimes = Readonly<Record<LinkPurpose, Millis>>;

export const DEFAULT_LINK_LIFETIMES: LinkLifetimes = Object.freeze({
  unsubscribe: 400 * DAY,
  preferences: 400 * DAY,
  plan: 400 * DAY,
  survey: 30 * DAY,
  // "I'm all set, no more tips": a choice about what we send, like the preferences page.
  tips: 400 * DAY,
  // A confirmation not clicked within a week is not consent any more: the person signs up again.
  'list-confirm': 7 * DAY,
  'list-unsubscribe': 400 * DAY,
  // A proposal is read during the sale and kept by the customer after it.
  proposal: 400 * DAY,
});
