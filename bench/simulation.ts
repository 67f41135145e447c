// Simulation: N orders (with their shipping, delivery, delays, returns as events) over D virtual
// days through `aftercare simulate`'s own path — CSV read, then the production intake and
// dispatcher on an in-memory store and a virtual clock. Printing is left out.
//   AFTERCARE_BENCH_SIMULATION_ORDERS=100000 AFTERCARE_BENCH_SIMULATION_DAYS=120 node --import tsx bench/simulation.ts
import { composeSimulation } from '../src/app/compose.js';
import { loadConfig } from '../src/config.js';
import { collectCsvEvents } from '../src/integrations/csv/collect.js';
import { envInt, isMain, ordersCsv, peakRssMb, seconds } from './common.js';

export async function benchSimulation(): Promise<Record<string, unknown>> {
  const orders = envInt('AFTERCARE_BENCH_SIMULATION_ORDERS', 100_000);
  const days = envInt('AFTERCARE_BENCH_SIMULATION_DAYS', 120);
  const csv = await ordersCsv(orders, { start: Date.UTC(2026, 10, 2), events: true });
  const config = loadConfig({});
  const began = process.hrtime.bigint();
  const simulator = await composeSimulation(config);
  const collected = await collectCsvEvents({
    orders: csv.orders,
    events: csv.events,
    defaultTimezone: 'UTC',
  });
  const readSeconds = seconds(began);
  const result = await simulator.run(collected.events, days);
  const total = seconds(began);
  const touchPoints = result.deliveries.length + result.summary.pending;
  return {
    orders,
    events: collected.events.length,
    days,
    seconds: Math.round(total * 1000) / 1000,
    csvReadSeconds: Math.round(readSeconds * 1000) / 1000,
    touchPoints,
    byOutcome: result.summary.by_outcome,
    peakRssMb: peakRssMb(),
    goal: { seconds: 30 },
  };
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchSimulation(), null, 2));
