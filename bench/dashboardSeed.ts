// The data the dashboard benchmark reads: the measuring benchmarks' history (orders with their
// enrollments, touch points, letter tasks, answers and concerns, placed over the 400 days before
// `now`, bench/sqlite/measure.ts) for about `customers` customers, plus the customers themselves:
// names from many languages (accents, ø, ß...), addresses made from them, temperatures spread over
// every band, order counts and open concerns as the history has them. Written straight into the
// tables (seeding a million customers through intake would take hours, and only the pages are
// measured), then the folded name key the store keeps (core/nameKey.ts) is filled in by the same
// function intake uses.
import type { Millis } from '../src/core/domain.js';
import { DEFAULT_PREFERENCES } from '../src/core/listening/types.js';
import { nameKeyOf } from '../src/core/nameKey.js';
import { COLUMNS as PG_COLUMNS } from '../src/store/postgres/columns.js';
import { seedMeasuring, type Cell, type SeedCounts, type SeedTable } from './sqlite/measure.js';

export const FIRST_NAMES = [
  'Ada',
  'Björn',
  'Chloé',
  'Dário',
  'Elif',
  'François',
  'Gül',
  'Hélène',
  'Ivan',
  'Jürgen',
  'Karin',
  'Łukasz',
  'María',
  'Noémie',
  'Oskar',
  'Pilar',
  'Renée',
  'Søren',
  'Tomás',
  'Zoë',
  'Aiko',
  'Bruno',
  'Carmen',
  'Dmitri',
  'Emma',
  'Farah',
  'Giulia',
  'Hugo',
  'Inès',
  'José',
  'Kofi',
  'Lena',
  'Mateus',
  'Nia',
  'Olga',
  'Paolo',
  'Quentin',
  'Rosa',
  'Sven',
  'Yusuf',
];
export const LAST_NAMES = [
  'Álvarez',
  'Becker',
  'Černý',
  'Dubois',
  'Eriksson',
  'Fischer',
  'García',
  'Horváth',
  'Ibáñez',
  'Jensen',
  'Kowalski',
  'López',
  'Müller',
  'Nowak',
  'Øster',
  'Petrović',
  'Quintero',
  'Rossi',
  'Schäfer',
  'Straße',
  'Tanaka',
  'Umarov',
  'Vasquez',
  'Weiß',
  'Xu',
  'Yilmaz',
  'Zieliński',
  'Adeyemi',
  'Bianchi',
  'Costa',
  'Dvořák',
  'Esposito',
  'Ferreira',
  'Gómez',
  'Hansen',
  'Ivanova',
  'Janssen',
  'Kim',
  'Larsen',
  'Moreau',
  'Nagy',
  'Olsen',
  'Popescu',
  'Ramos',
  'Silva',
  'Takahashi',
  'Uçar',
  'Virtanen',
  'Wójcik',
  'Zhang',
];

/** Who the benchmark signs in as (bench/dashboardServer.ts creates them). */
export const BENCH_OWNER = { email: 'owner@bench.test', password: 'a long bench password, not a secret' };

export const CUSTOMER_COLUMNS = Object.keys(PG_COLUMNS.customers);

/** Measuring's history makes about this many orders per customer. */
const ORDERS_PER_CUSTOMER = 1.3;

export interface DashboardSeed extends SeedCounts {
  customerRows: number;
}

export function customerName(c: number): { first: string; last: string } {
  return {
    first: FIRST_NAMES[(c * 7) % FIRST_NAMES.length]!,
    last: LAST_NAMES[Math.floor(c / FIRST_NAMES.length) % LAST_NAMES.length]!,
  };
}

/** An address made from the name, as people have them: ascii, lower case, a number. */
export function customerEmail(c: number): string {
  const { first, last } = customerName(c);
  const ascii = (s: string): string => (nameKeyOf(s, null) ?? '').replace(/[^a-z]/g, '');
  return `${ascii(first)}.${ascii(last)}${c}@example.com`;
}

/** Seeds about `customers` customers and their history into `sink`. */
export async function seedDashboard(
  customers: number,
  now: Millis,
  sink: (table: SeedTable | 'customers', rows: Cell[][]) => void | Promise<void>,
): Promise<DashboardSeed> {
  // Per customer (cust-<c>): how many orders, the latest, the first placed, open concerns.
  const size = Math.ceil(customers * 1.1) + 16;
  const orderCount = new Int32Array(size);
  const firstPlaced = new Float64Array(size);
  const lastOrder = new Int32Array(size).fill(-1);
  const openConcerns = new Int32Array(size);
  const index = (id: unknown): number => Number(String(id).slice(5));
  const counts = await seedMeasuring(
    Math.round(customers * ORDERS_PER_CUSTOMER),
    now,
    async (table, rows) => {
      if (table === 'orders') {
        for (const row of rows) {
          const c = index(row[1]);
          orderCount[c]! += 1;
          if (orderCount[c] === 1) firstPlaced[c] = Number(row[2]);
          lastOrder[c] = Number(String(row[0]).slice(4));
        }
      }
      if (table === 'concerns')
        for (const row of rows) if (row[6] === 'open') openConcerns[index(row[1])]! += 1;
      await sink(table, rows);
    },
  );
  const preferences = JSON.stringify(DEFAULT_PREFERENCES);
  let batch: Cell[][] = [];
  for (let c = 0; c < counts.customers; c++) {
    const { first, last } = customerName(c);
    const email = customerEmail(c);
    const temperature = (c * 37) % 101;
    const row: Record<string, Cell> = {
      id: `cust-${c}`,
      email,
      email_lower: email,
      first_name: first,
      last_name: last,
      phone: null,
      timezone: 'Europe/Berlin',
      locale: 'en',
      segment: c % 10 === 0 ? 'b2b' : 'b2c',
      holdout: c % 10 === 3 ? 1 : 0,
      temperature,
      temperature_reasons: JSON.stringify([{ delta: temperature - 50, why: 'seeded', at: now }]),
      open_concerns: openConcerns[c] ?? 0,
      awaiting_person_since: null,
      last_nps: null,
      engaged_at: null,
      preferences,
      unsubscribed_at: null,
      email_bounced_at: null,
      order_count: orderCount[c] ?? 0,
      last_order_id: lastOrder[c]! >= 0 ? `ord-${lastOrder[c]}` : null,
      attributes: '{}',
      created_at: firstPlaced[c] || now,
      name_key: nameKeyOf(first, last),
    };
    batch.push(CUSTOMER_COLUMNS.map((column) => row[column] ?? null));
    if (batch.length >= 20_000) {
      await sink('customers', batch);
      batch = [];
    }
  }
  if (batch.length > 0) await sink('customers', batch);
  return { ...counts, customerRows: counts.customers };
}
