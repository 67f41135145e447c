// Sign-in limits: attempts per client address, and failed attempts per account, each in a fixed
// window counted in the store (rate_windows), so every `serve` process on one database counts
// together. An attempt is counted against its account before the password is checked, and the
// count forgotten when it succeeds: however many attempts arrive at once, from however many
// processes, no more than the limit are ever checked in a window.
import type { Millis } from '../../core/domain.js';
import type { RateWindow, RateWindowStore } from '../../store/ports/rateWindows.js';
import type { Clock } from '../clock.js';

export interface SignInLimit {
  max: number;
  windowMs: Millis;
}

export interface SignInLimits {
  /** Failed sign-ins per account address (any case). */
  account: SignInLimit;
  /** Attempts per client address. */
  address: SignInLimit;
}

export interface SignInLimitCommands {
  /**
   * Null: go ahead (the attempt is counted for the address, and for the account until it
   * succeeds); else the seconds to wait before the next attempt may go ahead.
   */
  attempt(account: string, address: string, limits: SignInLimits): Promise<number | null>;
  /** The account's failures are forgotten. */
  succeeded(account: string): Promise<void>;
}

export const ACCOUNT_WINDOW = 'sign-in.account';
export const ADDRESS_WINDOW = 'sign-in.address';

/** Windows long past are deleted at most this often (by each process). */
const PURGE_EVERY_MS = 60_000;

const accountKey = (account: string): string => account.trim().toLowerCase();

/**
 * Seconds until the window ends: at least one, at most its length (another process may have
 * started it a moment "after" this one's clock read).
 */
function waitFor(window: RateWindow, limit: SignInLimit, at: Millis): number {
  const left = Math.min(limit.windowMs, window.startedAt + limit.windowMs - at);
  return Math.max(1, Math.ceil(left / 1000));
}

export function signInLimitCommands(deps: { windows: RateWindowStore; clock: Clock }): SignInLimitCommands {
  const { windows, clock } = deps;
  let purgedAt = -Infinity;
  return {
    async attempt(account, address, limits) {
      const at = clock.now();
      if (at - purgedAt >= PURGE_EVERY_MS) {
        purgedAt = at;
        // Guessing at random addresses or accounts cannot grow the table for ever.
        await windows.purge(at - Math.max(limits.account.windowMs, limits.address.windowMs));
      }
      const byAddress = await windows.hit(ADDRESS_WINDOW, address, at, limits.address.windowMs);
      if (byAddress.count > limits.address.max) return waitFor(byAddress, limits.address, at);
      const byAccount = await windows.hit(ACCOUNT_WINDOW, accountKey(account), at, limits.account.windowMs);
      if (byAccount.count > limits.account.max) return waitFor(byAccount, limits.account, at);
      return null;
    },
    succeeded: (account) => windows.clear(ACCOUNT_WINDOW, accountKey(account)),
  };
}
