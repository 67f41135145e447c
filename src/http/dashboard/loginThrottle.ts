// Sign-in limits: failed attempts per account address, and attempts per client address, each in
// a fixed window. Kept in the process (each `serve` counts its own): enough to turn password
// guessing into a crawl; the per-account count makes spreading guesses over addresses useless.
import type { RateLimit } from '../../config/http.js';

interface Window {
  start: number;
  count: number;
}

export class LoginThrottle {
  private readonly accounts = new Map<string, Window>();
  private readonly addresses = new Map<string, Window>();

  constructor(
    private readonly accountLimit: RateLimit,
    private readonly ipLimit: RateLimit,
    private readonly now: () => number,
  ) {}

  /** Null: go ahead (and the attempt is counted for the address); else seconds to wait. */
  attempt(account: string, address: string): number | null {
    const at = this.now();
    const byAccount = this.current(this.accounts, account.trim().toLowerCase(), this.accountLimit, at);
    const byAddress = this.current(this.addresses, address, this.ipLimit, at);
    if (byAccount.count >= this.accountLimit.max) return this.wait(byAccount, this.accountLimit, at);
    if (byAddress.count >= this.ipLimit.max) return this.wait(byAddress, this.ipLimit, at);
    byAddress.count += 1;
    return null;
  }

  failed(account: string): void {
    const window = this.current(this.accounts, account.trim().toLowerCase(), this.accountLimit, this.now());
    window.count += 1;
  }

  succeeded(account: string): void {
    this.accounts.delete(account.trim().toLowerCase());
  }

  private current(map: Map<string, Window>, key: string, limit: RateLimit, at: number): Window {
    let window = map.get(key);
    if (window === undefined || at - window.start >= limit.windowMs) {
      window = { start: at, count: 0 };
      map.set(key, window);
      // Forget windows long past, so guessing at random addresses cannot grow the map forever.
      if (map.size > 10_000) {
        for (const [k, w] of map) if (at - w.start >= limit.windowMs) map.delete(k);
      }
    }
    return window;
  }

  private wait(window: Window, limit: RateLimit, at: number): number {
    return Math.max(1, Math.ceil((window.start + limit.windowMs - at) / 1000));
  }
}
