// The two mails of the mailing list, built in the subscriber's language: the confirmation (its
// sealed confirm link expires) and the digest (a sealed unsubscribe link in the text and in
// List-Unsubscribe with List-Unsubscribe-Post, RFC 8058, and the postal address). Message-IDs
// derive from what the mail is (subscriber and confirmation count, subscriber and period), so a
// repeated send after a crash carries the same one and the receiver can drop it.
import type { BusinessInfo } from '../../core/business.js';
import type { Millis } from '../../core/domain.js';
import type { Channel, OutboundMessage } from '../../channels/port.js';
import type { NewsItem, Subscriber } from '../../store/ports/mailingList.js';
import type { LinkTokens } from '../links/token.js';
import { domainOf } from '../message.js';
import { messageIdFor } from '../messageId.js';
import { listTextsFor } from './texts.js';

export interface ListMailDeps {
  linkTokens: LinkTokens;
  /** AFTERCARE_PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  business: BusinessInfo;
  /** The e-mail channel, made on first use; null when none is configured. */
  email: () => Channel | null;
}

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

export function confirmLink(deps: ListMailDeps, subscriberId: string, now: Millis): string {
  const token = deps.linkTokens.issue({
    purpose: 'list-confirm',
    customerId: subscriberId,
    touchPointId: null,
    orderId: null,
    expiresAt: now + deps.linkTokens.lifetimes['list-confirm'],
  });
  return `${base(deps.publicUrl)}/list/confirm/${token}`;
}

export function listUnsubscribeLink(deps: ListMailDeps, subscriberId: string, now: Millis): string {
  const token = deps.linkTokens.issue({
    purpose: 'list-unsubscribe',
    customerId: subscriberId,
    touchPointId: null,
    orderId: null,
    expiresAt: now + deps.linkTokens.lifetimes['list-unsubscribe'],
  });
  return `${base(deps.publicUrl)}/list/u/${token}`;
}

function message(
  deps: ListMailDeps,
  subscriber: Subscriber,
  id: string,
  subject: string,
  text: string,
  headers: Record<string, string>,
): OutboundMessage {
  return {
    touchPointId: id,
    idempotencyKey: id,
    messageId: messageIdFor(id, domainOf(deps.business.fromEmail)),
    channel: 'email',
    // The digest is news, not selling; `education` is the nearest optional purpose. The list's own
    // rules (consent, preferences, cap, quiet hours) are applied by the digest job, not by purpose.
    purpose: id.startsWith('list-confirm:') ? 'transactional' : 'education',
    customerId: subscriber.customerId ?? subscriber.id,
    orderId: '',
    stepKey: id.startsWith('list-confirm:') ? 'list-confirm' : 'list-digest',
    to: { email: subscriber.email, name: null, phone: null },
    subject,
    text,
    html: null,
    headers,
    task: null,
  };
}

function footer(business: BusinessInfo): string {
  return `${business.name}\n${business.postalAddress}`;
}

export function confirmationMail(deps: ListMailDeps, subscriber: Subscriber, now: Millis): OutboundMessage {
  const t = listTextsFor(subscriber.locale);
  const name = deps.business.name;
  const text = [
    t.confirmBody(name, confirmLink(deps, subscriber.id, now)),
    t.confirmIgnore,
    footer(deps.business),
  ].join('\n\n');
  const id = `list-confirm:${subscriber.id}:${now}`;
  return message(deps, subscriber, id, t.confirmSubject(name), `${text}\n`, {});
}

export function digestMail(
  deps: ListMailDeps,
  subscriber: Subscriber,
  period: number,
  items: readonly NewsItem[],
  now: Millis,
): OutboundMessage {
  const t = listTextsFor(subscriber.locale);
  const name = deps.business.name;
  const unsubscribe = listUnsubscribeLink(deps, subscriber.id, now);
  const news = items.map(
    (item) => `${item.title}\n${'-'.repeat(Math.min(item.title.length, 60))}\n${item.body}`,
  );
  const text = [
    t.digestIntro(name),
    ...news,
    t.digestWhy(name),
    t.unsubscribeLine(unsubscribe),
    footer(deps.business),
  ].join('\n\n');
  return message(
    deps,
    subscriber,
    `list-digest:${subscriber.id}:${period}`,
    t.digestSubject(name, items.length),
    `${text}\n`,
    {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${name.replace(/[<>"\r\n]/g, '')} news <news.${domainOf(deps.business.fromEmail)}>`,
    },
  );
}
