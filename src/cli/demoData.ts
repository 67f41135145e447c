// `aftercare demo-data`: writes demo orders (and optionally their lifecycle events) as CSV files
// ready for `import` and `simulate`.
import { generateDemoOrders } from '../integrations/demo/generate.js';
import { writeDemoCsv } from '../integrations/demo/csv.js';
import { EXIT_OK } from './exit.js';

export interface DemoDataOptions {
  orders: number;
  out: string;
  events?: string;
  seed: string;
  /** Default: today 00:00 UTC, so a seed gives the same files all day. */
  start?: number;
  days: number;
}

export async function demoDataCommand(options: DemoDataOptions): Promise<number> {
  const today = new Date();
  const start = options.start ?? Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const orders = generateDemoOrders({
    orders: options.orders,
    seed: options.seed,
    start,
    pastDays: options.days,
  });
  const written = await writeDemoCsv(orders, options.out, options.events ?? null);
  const n = (value: number): string => value.toLocaleString('en-US');
  process.stdout.write(
    `Wrote ${n(written.orders)} orders (${n(written.orderRows)} rows) to ${options.out}` +
      (options.events ? ` and ${n(written.eventRows)} events to ${options.events}` : '') +
      ` (seed ${options.seed}, placed over the ${options.days} days before ${new Date(start).toISOString()})\n`,
  );
  return EXIT_OK;
}
