// GDPR: everything held about a customer (access and portability), or its erasure. Erasure runs
// in the store (one transaction, leaving ids, times and a hashed suppression entry), then removes
// the copies kept of messages sent to them (the outbox's .eml files, named by touch point id).
import type { Millis } from '../../core/domain.js';
import type { CustomerExport, ErasureReport, PrivacyStore } from '../../store/ports/privacy.js';
import type { Clock } from '../clock.js';

/** Where copies of sent messages are kept (the e-mail outbox), by touch point id. */
export interface SentCopies {
  /** Deletes the copies of these touch points' messages; resolves to how many there were. */
  remove(touchPointIds: readonly string[]): Promise<number>;
}

export interface CustomerDataExport extends CustomerExport {
  exportedAt: Millis;
}

export type Erasure =
  | { ok: true; report: ErasureReport; erasedAt: Millis; sentCopiesRemoved: number }
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
}): PrivacyCommands {
  const { privacy, sentCopies, clock } = deps;
  return {
    async exportCustomer(customerId) {
      const exportedAt = clock.now();
      const held = await privacy.exportCustomer(customerId);
      return held === null ? null : { exportedAt, ...held };
    },
    async eraseCustomer(customerId) {
      const erasedAt = clock.now();
      const report = await privacy.eraseCustomer(customerId, erasedAt);
      if (report === null) return { ok: false, why: 'not_found' };
      // After the store's transaction: should this fail, erasing again removes what is left.
      const sentCopiesRemoved = await sentCopies.remove(report.touchPointIds);
      return { ok: true, report, erasedAt, sentCopiesRemoved };
    },
  };
}
