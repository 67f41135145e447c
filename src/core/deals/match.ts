// Which open deal an arriving order closes: the deal id the order carries (attribute `deal_id`),
// else the deal's contact address, else the company's mail domain (never a free-mail domain, where
// one address says nothing about the company). Pure.
import type { Deal } from './deal.js';

/** Mail domains anyone can have an address at: a shared domain is no company. */
const FREE_MAIL: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.de',
  'yahoo.fr',
  'yahoo.es',
  'hotmail.com',
  'hotmail.de',
  'hotmail.fr',
  'hotmail.es',
  'outlook.com',
  'outlook.de',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'gmx.com',
  'web.de',
  't-online.de',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'wanadoo.fr',
  'proton.me',
  'protonmail.com',
  'mail.com',
  'yandex.com',
  'zoho.com',
]);

export function isFreeMail(domain: string): boolean {
  return FREE_MAIL.has(domain.toLowerCase());
}

export function domainOf(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return at < 0 ? null : email.slice(at + 1).toLowerCase();
}

/** The company domain a deal is matched by: its own, else its contact's (unless free mail). */
export function dealDomain(deal: Pick<Deal, 'domain' | 'contact'>): string | null {
  const domain = deal.domain ?? domainOf(deal.contact.email);
  return domain === null || isFreeMail(domain) ? null : domain;
}

/** An order as matching sees it. */
export interface ArrivedOrder {
  orderId: string;
  customerId: string;
  email: string | null;
  placedAt: number;
  /** The order's `deal_id` attribute, if any. */
  dealId: string | null;
}

export type MatchedBy = 'deal_id' | 'email' | 'domain';

/**
 * The deal `order` closes among `deals` (open or won, not yet matched), and how. The deal id wins
 * over everything; among address or domain matches, the deal expected to close nearest the order.
 */
export function matchDeal(order: ArrivedOrder, deals: readonly Deal[]): { deal: Deal; by: MatchedBy } | null {
  const waiting = deals.filter((d) => d.stage !== 'lost' && d.orderId === null);
  if (order.dealId !== null) {
    const deal = waiting.find((d) => d.id === order.dealId || d.externalId === order.dealId);
    // A deal id that names no waiting deal matches nothing else: it was meant for that deal.
    return deal ? { deal, by: 'deal_id' } : null;
  }
  const nearest = (candidates: Deal[]): Deal | null =>
    candidates.sort(
      (a, b) =>
        Math.abs(a.expectedCloseAt - order.placedAt) - Math.abs(b.expectedCloseAt - order.placedAt) ||
        (a.id < b.id ? -1 : 1),
    )[0] ?? null;
  const email = order.email?.toLowerCase() ?? null;
  if (email !== null) {
    const byEmail = nearest(waiting.filter((d) => d.contact.email.toLowerCase() === email));
    if (byEmail) return { deal: byEmail, by: 'email' };
  }
  const domain = domainOf(email);
  if (domain !== null && !isFreeMail(domain)) {
    const byDomain = nearest(waiting.filter((d) => dealDomain(d) === domain));
    if (byDomain) return { deal: byDomain, by: 'domain' };
  }
  return null;
}
