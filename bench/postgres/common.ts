// Shared by the PostgreSQL benchmarks: where the server is, sizes from the environment (so CI
// can shrink or skip them), a fresh schema per run, and demo-like order events.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DomainEvent, Millis } from '../../src/core/domain.js';

export const PG_URL =
  process.env.AFTERCARE_BENCH_PG_URL ??
  process.env.AFTERCARE_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
}

export function benchSchema(prefix: string): string {
  return `bench_${prefix}_${randomBytes(3).toString('hex')}`;
}

export async function withClient<T>(fn: (client: pg.Client) => Promise<T>, url = PG_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

const FIRST = ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivo', 'June'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Europe/London'];

/** Order.placed events like a shop's: one customer per 1.3 orders, a few items, some big orders. */
export function shopOrders(count: number, from: number, at: Millis): DomainEvent[] {
  const events: DomainEvent[] = new Array<DomainEvent>(count);
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const c = Math.floor(i / 1.3);
    events[k] = {
      id: `shop:${i}:placed`,
      type: 'order.placed',
      at,
      customerId: `cust-${c}`,
      orderId: `ord-${i}`,
      customer: {
        customerId: `cust-${c}`,
        email: `customer${c}@example.com`,
        firstName: FIRST[c % FIRST.length]!,
        lastName: `Example${c}`,
        timezone: ZONES[c % ZONES.length]!,
        segment: i % 10 === 0 ? 'b2b' : 'b2c',
      },
      order: {
        placedAt: at - (i % 600) * 1000,
        currency: 'EUR',
        total: 20 + ((i * 37) % 480),
        items: [
          {
            sku: `sku-${i % 40}`,
            productName: 'Reading lamp',
            category: 'lamps',
            quantity: 1 + (i % 3),
            price: 20,
          },
        ],
      },
      data: {},
    };
  }
  return events;
}
