// GDPR: everything held about a customer (access and portability), or its erasure. Erasure runs
// in the store (one transaction, leaving ids, times and a hashed suppression entry), then removes
// the copies kept of messages sent to them (the outbox's .eml files, named by touch point id).
import type { Millis } from '../../core/domain.js';
import type { DealsStore } from '../../store/ports/deals.js';
import type { MailingListStore, Subscriber } from '../../store/ports/mailingList.js';
import type { CustomerExport, ErasureReport, PrivacyStore } from '../../store/ports/privacy.js';
import type { ReadStore } from '../../store/ports/reads.js';
import type { Clock } from '../clock.js';

/** Where copies of sent messages are kept (the e-mail outbox), by touch point id. */
export interface SentCopies {
  /** Deletes the copies of these touch points' messages; resolves to how many there were. */
  remove(touchPointIds: readonly string[]): Promise<number>;
}

export interface CustomerDataExport extends CustomerExport {
  exportedAt: Millis;
  /** Their mailing list sign-ups (by customer id or address), each with its proof of consent. */
  mailingList: Subscriber[];
}

export type Erasure =
  | {
      ok: true;
      report: ErasureReport;
      erasedAt: Millis;
      sentCopiesRemoved: number;
      /** Mailing list sign-ups removed. */
      listSubscriptionsRemoved: number;
    }
  | { ok: false; why: 'not_found' };

export interface PrivacyCommands {
  /** Null when there is no such customer. */
  exportCustomer(customerId: string): Promise<CustomerDataExport | null>;
  /** Erasing again is harmless: the store finds nothing left to remove. */
  eraseCustomer(customerId: string): Promise<Erasure>;
}

export function privacyCommands(deps: {
  privacy: PrivacyStore;
  sentCopies: SentCopies;
  clock: Clock;
  /** Absent: no mailing list to export or erase (older tests). */
  mailingList?: Pick<MailingListStore, 'subscriptionsOf' | 'erase'>;
  reads?: Pick<ReadStore, 'getCustomer'>;
  /** Absent: no deals whose prospect's contact details erasure must reach (older tests). */
  deals?: Pick<DealsStore, 'list' | 'put'>;
}): PrivacyCommands {
  const { privacy, sentCopies, clock, mailingList } = deps;
  return {
    async exportCustomer(customerId) {
      const exportedAt = clock.now();
      const held = await privacy.exportCustomer(customerId);
      if (held === null) return null;
      const subscriptions = mailingList
        ? await mailingList.subscriptionsOf(customerId, held.customer.email)
        : [];
      return { exportedAt, ...held, mailingList: subscriptions };
    },
    async eraseCustomer(customerId) {
      const erasedAt = clock.now();
      // The address is read before the customer row is erased; the list is erased first, so an
      // erasure that fails half-way leaves nothing on the list, and erasing again finishes it.
      const customer = (await deps.reads?.getCustomer(customerId)) ?? null;
      const listSubscriptionsRemoved =
        mailingList && customer ? await mailingList.erase(customerId, customer.email) : 0;
      const report = await privacy.eraseCustomer(customerId, erasedAt);
      if (report === null) return { ok: false, why: 'not_found' };
      // The deals their order closed held them as a prospect: the contact details go too (the
      // company, the value and the plan stay, as the order's ids and times do).
      for (const deal of (await deps.deals?.list({ customerId, limit: 1000 })) ?? []) {
        if (deal.contact.email === '' && deal.contact.name === '') continue;
        await deps.deals?.put({
          ...deal,
          contact: { email: '', name: '', phone: null, locale: null, timeZone: deal.contact.timeZone },
          updatedAt: erasedAt,
        });
      }
      // After the store's transaction: should this fail, erasing again removes what is left.
      const sentCopiesRemoved = await sentCopies.remove(report.touchPointIds);
      return { ok: true, report, erasedAt, sentCopiesRemoved, listSubscriptionsRemoved };
    },
  };
}
