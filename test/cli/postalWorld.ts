// A SQLite file with a day's letter and gift tasks in it, made the way production makes them:
// orders go through the real intake and the built-in playbook, and the real dispatcher (on a
// virtual clock) turns the due thank-you-letter and thank-you-gift steps into tasks.
import { join } from 'node:path';
import { compose } from '../../src/app/compose.js';
import { loadConfig } from '../../src/config.js';
import type { DomainEvent, ShippingAddress } from '../../src/core/domain.js';
import { VirtualClock } from '../../src/engine/clock.js';

/** Monday 2026-06-01 09:00 UTC: orders placed and delivered; their letters and gifts are due Wednesday. */
export const PLACED = Date.UTC(2026, 5, 1, 7, 0, 0);
export const DELIVERED = Date.UTC(2026, 5, 1, 7, 30, 0);
/** Wednesday 2026-06-03 12:00 UTC: past 10:00 in every customer's zone, within business hours. */
export const DUE_DAY_NOON = Date.UTC(2026, 5, 3, 12, 0, 0);
export const DUE_DAY = '2026-06-03';

export function postalEnv(dir: string): Record<string, string> {
  return {
    AFTERCARE_DB: join(dir, 'aftercare.db'),
    AFTERCARE_DATA_DIR: join(dir, 'data'),
    AFTERCARE_TIMEZONE: 'Europe/Berlin',
    AFTERCARE_HOLDOUT: '0',
    AFTERCARE_FX_RATES: 'EUR=1.1,JPY=0.0065',
    AFTERCARE_BUSINESS_NAME: 'Lumen Lamps',
    AFTERCARE_POSTAL_ADDRESS: 'Hauptstraße 5, 10115 Berlin, Germany',
    AFTERCARE_SUPPORT_EMAIL: 'help@lumen.example',
    AFTERCARE_LOG_LEVEL: 'silent',
  };
}

export interface Buyer {
  order: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: string | null;
  timezone: string;
  currency: string;
  total: number;
  category?: string;
  address: ShippingAddress | null;
}

export function address(parts: Partial<ShippingAddress>): ShippingAddress {
  return {
    name: null,
    company: null,
    line1: null,
    line2: null,
    city: null,
    region: null,
    postalCode: null,
    country: null,
    phone: null,
    ...parts,
  };
}

function events(buyer: Buyer): DomainEvent[] {
  const order = {
    placedAt: PLACED,
    number: `#${buyer.order}`,
    currency: buyer.currency,
    total: buyer.total,
    shippingAddress: buyer.address,
    items: [
      {
        sku: `SKU-${buyer.order}`,
        productName: 'Desk lamp',
        category: buyer.category ?? 'lighting',
        quantity: 1,
        price: buyer.total,
      },
    ],
  };
  const customer = {
    email: buyer.email,
    firstName: buyer.firstName,
    lastName: buyer.lastName,
    locale: buyer.locale,
    timezone: buyer.timezone,
  };
  return [
    {
      id: `${buyer.order}:placed`,
      type: 'order.placed',
      at: PLACED,
      customerId: null,
      orderId: buyer.order,
      customer,
      order,
      data: {},
    },
    {
      id: `${buyer.order}:delivered`,
      type: 'shipment.delivered',
      at: DELIVERED,
      customerId: null,
      orderId: buyer.order,
      data: {},
    },
  ];
}

/** Builds the store at env.AFTERCARE_DB and runs the dispatcher up to the due day's noon. */
export async function buildPostalStore(env: Record<string, string>, buyers: Buyer[]): Promise<void> {
  const clock = new VirtualClock(PLACED);
  const app = await compose(loadConfig(env), { clock });
  try {
    await app.commands.ingest.events(buyers.flatMap(events));
    const worker = await app.startWorker({ idleMs: 60_000 });
    // Driven by hand on the virtual clock, not by the worker's loop.
    await worker.stop();
    clock.set(DUE_DAY_NOON);
    await worker.dispatcher.runUntilIdle();
  } finally {
    await app.close();
  }
}
