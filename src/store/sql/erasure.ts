// The parts of an erasure beyond the customer's own rows, written once for both dialects: the
// tombstones intake refuses, and copies of what was sent about the person that wait elsewhere
// (webhook inbox entries not drained yet, answers kept for Idempotency-Keys).
import { sql, type Kysely } from 'kysely';
import { tombstonesOf } from '../../core/identity.js';
import type { Customer, Millis } from '../../core/domain.js';
import { INSTALL_KEY_SETTING, missingInstallKey } from '../erasure.js';
import type { SqlHandle } from './db.js';
import type { Tables } from './tables.js';

/** Stores the tombstones of every identity the customer had; returns how many there are. */
export async function buryIdentities(trx: Kysely<Tables>, customer: Customer, at: Millis): Promise<number> {
  const key =
    (
      await trx
        .selectFrom('settings')
        .select('value')
        .where('name', '=', INSTALL_KEY_SETTING)
        .executeTakeFirst()
    )?.value ?? missingInstallKey();
  const stones = tombstonesOf({ customerId: customer.id, email: customer.email, phone: customer.phone }, key);
  await trx
    .insertInto('erased_identities')
    .values(stones.map((hash) => ({ hash, erased_at: at })))
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
  return stones.length;
}

/** `instr` on SQLite, `strpos` on PostgreSQL: both (haystack, needle), no wildcards to escape. */
function contains(handle: SqlHandle, column: string, needle: string) {
  const fn = handle.dialect === 'postgres' ? sql.raw('strpos') : sql.raw('instr');
  return sql<boolean>`${fn}(lower(${sql.ref(column)}), ${needle}) > 0`;
}

/**
 * Removes inbox entries that name the customer (by address or id) and the answers kept for
 * Idempotency-Keys that hold their id. Intake would refuse the entries anyway (tombstones); they
 * go now so nothing about the person waits on disk. Returns how many rows went.
 */
export async function forgetWaitingCopies(
  handle: SqlHandle,
  trx: Kysely<Tables>,
  customer: Customer,
): Promise<number> {
  const needles = [JSON.stringify(customer.id).toLowerCase()];
  const email = customer.email?.trim().toLowerCase();
  if (email) needles.push(email);
  let removed = 0;
  for (const needle of needles) {
    const inbox = await trx
      .deleteFrom('inbox')
      .where(contains(handle, 'event', needle))
      .executeTakeFirst();
    removed += Number(inbox.numDeletedRows);
  }
  const answers = await trx
    .deleteFrom('idempotency_keys')
    .where('body', 'is not', null)
    .where(contains(handle, 'body', needles[0]!))
    .executeTakeFirst();
  return removed + Number(answers.numDeletedRows);
}
