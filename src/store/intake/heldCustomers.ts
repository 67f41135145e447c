// The customers one intake batch holds: as read (by id or by address) and as the batch changed
// them, with an index by lower-cased address that follows every change, so a later event of the
// batch finds a customer by e-mail exactly as a read after the earlier writes would.
import type { Customer } from '../../core/domain.js';
import { compareText } from '../records/storable.js';
import { normalizedEmail } from './lookup.js';

interface Held {
  current: Customer;
  /** As read; null when the batch creates it. */
  stored: Customer | null;
}

export class HeldCustomers {
  /** null: known not to exist (yet). */
  private readonly byIdMap = new Map<string, Held | null>();
  /** Lower-cased address -> ids of held customers with that address now. */
  private readonly byEmailMap = new Map<string, Set<string>>();
  private readonly emailOf = new Map<string, string | null>();
  /** Addresses whose stored customers are all held. */
  private readonly emailsLoaded = new Set<string>();

  knows(id: string): boolean {
    return this.byIdMap.has(id);
  }

  knowsEmail(email: string): boolean {
    return this.emailsLoaded.has(email);
  }

  supply(rows: readonly Customer[], ids: readonly string[], emails: readonly string[]): void {
    for (const customer of rows) {
      // A held one is newer (written by this batch) or the same.
      if (this.byIdMap.get(customer.id)) continue;
      this.byIdMap.set(customer.id, { current: customer, stored: customer });
      this.index(customer.id, normalizedEmail(customer.email));
    }
    for (const id of ids) if (!this.byIdMap.has(id)) this.byIdMap.set(id, null);
    for (const email of emails) this.emailsLoaded.add(email);
  }

  byId(id: string): Customer | null {
    return this.byIdMap.get(id)?.current ?? null;
  }

  /** The earliest customer (created_at, then id) with this address, as a read would order them. */
  byEmail(email: string): Customer | null {
    let best: Customer | null = null;
    for (const id of this.byEmailMap.get(email) ?? []) {
      const candidate = this.byIdMap.get(id)?.current;
      if (!candidate) continue;
      if (
        best === null ||
        candidate.createdAt < best.createdAt ||
        (candidate.createdAt === best.createdAt && compareText(candidate.id, best.id) < 0)
      ) {
        best = candidate;
      }
    }
    return best;
  }

  put(customer: Customer): void {
    const held = this.byIdMap.get(customer.id);
    if (held) held.current = customer;
    else this.byIdMap.set(customer.id, { current: customer, stored: null });
    this.index(customer.id, normalizedEmail(customer.email));
  }

  writes(): { insert: Customer[]; update: Customer[] } {
    const out: { insert: Customer[]; update: Customer[] } = { insert: [], update: [] };
    for (const held of this.byIdMap.values()) {
      if (held === null || held.current === held.stored) continue;
      if (held.stored === null) out.insert.push(held.current);
      else if (JSON.stringify(held.current) !== JSON.stringify(held.stored)) out.update.push(held.current);
    }
    return out;
  }

  private index(id: string, email: string | null): void {
    const before = this.emailOf.get(id);
    if (this.emailOf.has(id) && before === email) return;
    if (before != null) this.byEmailMap.get(before)?.delete(id);
    this.emailOf.set(id, email);
    if (email === null) return;
    const ids = this.byEmailMap.get(email);
    if (ids) ids.add(id);
    else this.byEmailMap.set(email, new Set([id]));
  }
}
