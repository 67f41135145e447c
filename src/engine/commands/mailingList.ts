// The mailing list's use cases: sign up (a confirmation mail, limited per address, so nobody can
// mail-bomb a stranger through the form), confirm (with the proof of consent: when, how, from
// where, and the words agreed to), unsubscribe, and the news items the digest carries. Only a
// confirmed address is on the list: an unconfirmed sign-up gets the one confirmation mail and
// nothing else, ever.
import { randomUUID } from 'node:crypto';
import { checkMailbox } from '../../core/mailbox.js';
import type { Millis } from '../../core/domain.js';
import type { ConsentStore } from '../../store/ports/consent.js';
import type { MailingListStore, NewsItem, Subscriber } from '../../store/ports/mailingList.js';
import type { ReadStore } from '../../store/ports/reads.js';
import type { Clock } from '../clock.js';
import { confirmationMail, type ListMailDeps } from '../list/mail.js';
import { LIST_LANGUAGES, listLanguageOf, listTextsFor } from '../list/texts.js';
import { ChannelError } from '../../channels/port.js';
import { AftercareError } from '../../errors.js';

const MINUTE = 60_000;
/** At most one confirmation mail per address every 2 minutes, 3 in a row, then one a day. */
export const CONFIRMATION_RULE = { minGapMs: 2 * MINUTE, max: 3, windowMs: 24 * 60 * MINUTE } as const;

export const SIGN_UP_SOURCES = ['form', 'preferences', 'api'] as const;
export type SignUpSource = (typeof SIGN_UP_SOURCES)[number];

export interface SignUpInput {
  email: string;
  locale?: string | null;
  timezone?: string | null;
  source: SignUpSource;
  /** The person's client address (form and preferences page); null through the API. */
  ip?: string | null;
}

export type SignUpResult =
  | { ok: false; why: 'invalid_email'; problem: string }
  | {
      ok: true;
      /**
       * `confirmation_sent`: a mail with the confirm link is out. `already_confirmed`: on the list
       * already, nothing sent. `rate_limited`: a confirmation went out too recently. `suppressed`:
       * the address is on the suppression list. `not_sent`: the mail server refused or failed.
       */
      status: 'confirmation_sent' | 'already_confirmed' | 'rate_limited' | 'suppressed' | 'not_sent';
      subscriber: Subscriber;
    };

export type ConfirmResult =
  | { ok: true; subscriber: Subscriber }
  | { ok: false; why: 'not_found' | 'not_pending'; subscriber: Subscriber | null };

export interface NewNews {
  title: string;
  body: string;
  locale?: string | null;
}

export interface MailingListCommands {
  signUp(input: SignUpInput): Promise<SignUpResult>;
  get(subscriberId: string): Promise<Subscriber | null>;
  findByEmail(email: string): Promise<Subscriber | null>;
  /** The words a person agrees to by confirming, in their language. */
  consentWording(locale: string | null): string;
  confirm(subscriberId: string, how: { ip: string | null; userAgent: string | null }): Promise<ConfirmResult>;
  unsubscribe(subscriberId: string, source: 'one-click' | 'page' | 'api'): Promise<Subscriber | null>;
  addNews(input: NewNews): Promise<NewsItem>;
  /** Newest last; at most `limit` (default 100) of those created after `after`. */
  listNews(query?: { after?: Millis; limit?: number }): Promise<NewsItem[]>;
}

export interface MailingListDeps {
  list: MailingListStore;
  reads: Pick<ReadStore, 'findCustomerByEmail'>;
  consent: Pick<ConsentStore, 'suppressed'>;
  clock: Clock;
  /** Absent where no mail can be sent (`keys`, `status`): sign-ups are refused. */
  mail?: ListMailDeps;
  newId?: () => string;
}

function invalid(field: string, message: string): AftercareError {
  return new AftercareError('AFTERCARE_E_INPUT_INVALID', message, { in: 'body', field });
}

export function mailingListCommands(deps: MailingListDeps): MailingListCommands {
  const { list, clock } = deps;
  const newId = deps.newId ?? (() => `sub_${randomUUID()}`);
  const wording = (locale: string | null): string =>
    listTextsFor(locale).consent(deps.mail?.business.name ?? 'us');
  return {
    async signUp(input) {
      const checked = checkMailbox(input.email);
      if (!checked.ok)
        return { ok: false, why: 'invalid_email', problem: `the e-mail address ${checked.problem}` };
      const mail = deps.mail;
      if (mail === undefined) throw new Error('mailing list sign-up without a mail channel');
      const now = clock.now();
      const customer = await deps.reads.findCustomerByEmail(checked.address);
      const subscriber = await list.signUp({
        id: newId(),
        email: checked.address,
        customerId: customer?.id ?? null,
        locale: input.locale ?? customer?.locale ?? null,
        timezone: input.timezone ?? customer?.timezone ?? null,
        source: input.source,
        ip: input.ip ?? null,
        at: now,
      });
      if (subscriber.status === 'confirmed') return { ok: true, status: 'already_confirmed', subscriber };
      if ((await deps.consent.suppressed([checked.address])).size > 0)
        return { ok: true, status: 'suppressed', subscriber };
      if (!(await list.takeConfirmationSend(subscriber.id, { at: now, ...CONFIRMATION_RULE })))
        return { ok: true, status: 'rate_limited', subscriber };
      const channel = mail.email();
      if (channel === null) return { ok: true, status: 'not_sent', subscriber };
      try {
        await channel.send(confirmationMail(mail, subscriber, now));
      } catch (error) {
        if (error instanceof ChannelError) return { ok: true, status: 'not_sent', subscriber };
        throw error;
      }
      return { ok: true, status: 'confirmation_sent', subscriber };
    },

    get: (id) => list.get(id),
    findByEmail: (email) => list.findByEmail(email),
    consentWording: wording,

    async confirm(subscriberId, how) {
      const subscriber = await list.get(subscriberId);
      if (subscriber === null) return { ok: false, why: 'not_found', subscriber: null };
      if (subscriber.status === 'confirmed') return { ok: true, subscriber };
      if (subscriber.status !== 'pending') return { ok: false, why: 'not_pending', subscriber };
      const confirmed = await list.confirm(subscriberId, {
        requestSource: subscriber.requestSource,
        requestedAt: subscriber.requestedAt,
        requestIp: subscriber.requestIp,
        confirmedAt: clock.now(),
        confirmIp: how.ip,
        confirmUserAgent: how.userAgent === null ? null : how.userAgent.slice(0, 500),
        wording: wording(subscriber.locale),
      });
      return confirmed === null
        ? { ok: false, why: 'not_pending', subscriber }
        : { ok: true, subscriber: confirmed };
    },

    unsubscribe: (subscriberId, source) => list.unsubscribe(subscriberId, clock.now(), source),

    async addNews(input) {
      const title = input.title.trim();
      const body = input.body.trim();
      if (title === '' || title.length > 200) throw invalid('title', 'title: must be 1 to 200 characters');
      if (body === '' || body.length > 5000) throw invalid('body', 'body: must be 1 to 5000 characters');
      const locale = input.locale ?? null;
      if (locale !== null && listLanguageOf(locale) !== locale.toLowerCase())
        throw invalid(
          'locale',
          `locale: must be one of ${LIST_LANGUAGES.join(', ')} (or left out for everyone)`,
        );
      const now = clock.now();
      return list.addNews({
        id: `news_${now}_${randomUUID().slice(0, 8)}`,
        title,
        body,
        locale: locale === null ? null : locale.toLowerCase(),
        createdAt: now,
      });
    },

    listNews: (query = {}) =>
      list.listNews({
        ...(query.after !== undefined ? { after: query.after } : {}),
        limit: query.limit ?? 100,
      }),
  };
}
