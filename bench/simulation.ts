// Simulation: N orders (with their shipping, delivery, delays and returns as events) over D
// virtual days through `aftercare simulate`'s own path: the composition root's simulator
// (composeSimulation: playbooks, a fresh in-memory store, channels that send nothing), the CSV
// read, then the production intake and dispatcher on a virtual clock. Only the printing is left
// out. The clock runs from reading the configuration to the result; the orders are placed over
// the 30 days before a fixed date (as `aftercare demo-data` spreads them), so every run does the
// same work.
//   AFTERCARE_BENCH_SIMULATION_ORDERS=100000 AFTERCARE_BENCH_SIMULATION_DAYS=120 node --import tsx bench/simulation.ts
import { composeSimulation } from '../src/app/compose.js';
import { loadConfig } from '../src/config.js';
import { collectCsvEvents } from '../src/integrations/csv/collect.js';
import { envInt, isMain, ordersCsv, peakRssMb, seconds } from './common.js';

const GOALS = { seconds: 30, orders: 100_000, days: 120, peakRssMb: 500 };

export async function benchSimulation(): Promise<Record<string, unknown>> {
  const orders = envInt('AFTERCARE_BENCH_SIMULATION_ORDERS', 100_000);
  const days = envInt('AFTERCARE_BENCH_SIMULATION_DAYS', 120);
  const pastDays = envInt('AFTERCARE_BENCH_SIMULATION_PAST_DAYS', 30);
  const csv = await ordersCsv(orders, { start: Date.UTC(2026, 10, 2), events: true, pastDays });
  const began = process.hrtime.bigint();
  const config = loadConfig({});
  const simulator = await composeSimulation(config);
  const collected = await collectCsvEvents({
    orders: csv.orders,
    events: csv.events,
    defaultTimezone: config.policy.defaultTimezone,
  });
  const readSeconds = seconds(began);
  const result = await simulator.run(collected.events, days);
  const total = seconds(began);
  const peakMb = peakRssMb();
  const atGoalSize = orders >= GOALS.orders && days >= GOALS.days;
  return {
    orders,
    ordersPlacedOverDays: pastDays,
    events: collected.events.length,
    rowsRejected: collected.rejectedRows,
    days,
    seconds: Math.round(total * 1000) / 1000,
    csvReadSeconds: Math.round(readSeconds * 1000) / 1000,
    touchPoints: result.deliveries.length + result.summary.pending,
    pending: result.summary.pending,
    byOutcome: result.summary.by_outcome,
    eventsRejected: result.summary.events_rejected,
    peakRssMb: peakMb,
    goals: GOALS,
    met: {
      // The time goal is for 100,000 orders over 120 days; smaller runs say nothing about it.
      seconds: atGoalSize ? total < GOALS.seconds : null,
      peakRssMb: peakMb < GOALS.peakRssMb,
    },
  };
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchSimulation(), null, 2));
