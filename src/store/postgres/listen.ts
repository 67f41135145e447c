// LISTEN for "new work due soon" on a dedicated connection that reconnects by itself: after a
// server restart or a network drop it comes back with backoff and tells its listeners once,
// since notices sent while it was away are lost.
import pg from 'pg';
import { clientOptions } from './pool.js';

export interface DueListenerOptions {
  url: string;
  channel: string;
  onError?: (error: Error) => void;
  /** First and longest pause between reconnection attempts. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class DueWorkListener {
  private readonly listeners = new Set<() => void>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: DueListenerOptions) {}

  /** Subscribe; the first subscriber opens the connection. Resolves once LISTEN is in place (or first failed). */
  async subscribe(listener: () => void): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    this.closed = false;
    if (this.client === null && this.connecting === null) await this.connect();
    else if (this.connecting) await this.connecting;
    return async () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) await this.close();
    };
  }

  get connected(): boolean {
    return this.client !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connecting = this.open()
      .then(
        (reconnected) => {
          this.failures = 0;
          if (reconnected) this.notify();
        },
        (error: unknown) => {
          this.options.onError?.(asError(error));
          this.scheduleReconnect();
        },
      )
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  /** Resolves true when this replaced a lost connection. */
  private async open(): Promise<boolean> {
    const reconnected = this.failures > 0;
    const client = new pg.Client(clientOptions(this.options.url, 'aftercare-listen'));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', () => this.notify());
    try {
      await client.connect();
      await client.query(`LISTEN "${this.options.channel}"`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return false;
    }
    this.client = client;
    return reconnected;
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    if (error) this.options.onError?.(error);
    client.end().catch(() => undefined);
    if (!this.closed) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.failures += 1;
    const min = this.options.minBackoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 5_000;
    const delay = Math.min(max, min * 2 ** Math.min(this.failures - 1, 10));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.options.onError?.(asError(error));
      }
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
