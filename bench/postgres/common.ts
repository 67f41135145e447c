// Shared by the PostgreSQL benchmarks: where the server is, sizes from the environment (so CI
// can shrink or skip them), a fresh schema per run, and demo-like order events.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DomainEvent, Millis } from '../../src/core/domain.js';

export const PG_URL =
  process.env.AFTERCARE_BENCH_PG_URL ??
  process.env.AFTERCARE_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

export { envInt } from '../common.js';

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

const TWO_DAYS = 2 * 86_400_000;

/**
 * Order.placed events like a shop's webhooks: one customer per 1.3 orders, in five zones, one in
 * ten a business. Each is placed at a scattered moment of the two days before `now` (the event
 * is the placement), so the steps planned for it are still to come, not stale.
 */
export function shopOrders(count: number, from: number, now: Millis): DomainEvent[] {
  const events: DomainEvent[] = new Array<DomainEvent>(count);
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const c = Math.floor(i / 1.3);
    const placedAt = now - ((i * 104_729) % TWO_DAYS);
    events[k] = {
      id: `shop:${i}:placed`,
      type: 'order.placed',
      at: placedAt,
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
        placedAt,
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
