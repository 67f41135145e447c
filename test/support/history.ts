// A measured history in a real SQLite file: demo orders (several currencies, returns,
// cancellations, NPS answers) written as CSV, read back like an import, and run through the
// production engine (intake, listener, dispatcher) on a virtual clock by the simulation, with the
// playbook versions registered as `serve` registers them. The report then reads the file.
import { join } from 'node:path';
import { loadPlaybooks } from '../../src/app/playbooks.js';
import { simulationParts } from '../../src/app/compose.js';
import type { Playbook } from '../../src/core/playbook/types.js';
import { loadConfig, type Config } from '../../src/config.js';
import { PlaybookRegistry } from '../../src/engine/playbookRegistry.js';
import { runSimulation, type SimulationResult } from '../../src/engine/simulation.js';
import { collectCsvEvents } from '../../src/integrations/csv/collect.js';
import { writeDemoCsv } from '../../src/integrations/demo/csv.js';
import { generateDemoOrders } from '../../src/integrations/demo/generate.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';

const DAY = 86_400_000;

export interface History {
  db: string;
  config: Readonly<Config>;
  playbooks: readonly Playbook[];
  result: SimulationResult;
}

/**
 * `orders` demo orders placed over the `pastDays` before `start`, simulated until `start`.
 * `env`: extra settings (AFTERCARE_HOLDOUT, AFTERCARE_PLAYBOOKS...).
 */
export async function simulateHistory(
  dir: string,
  options: { orders: number; seed: string; start: number; pastDays: number; env?: Record<string, string> },
): Promise<History> {
  const config = loadConfig({
    AFTERCARE_DATA_DIR: join(dir, 'data'),
    AFTERCARE_LOG_LEVEL: 'silent',
    AFTERCARE_HOLDOUT: '0.1',
    ...options.env,
  });
  const ordersFile = join(dir, 'orders.csv');
  const eventsFile = join(dir, 'events.csv');
  await writeDemoCsv(
    generateDemoOrders({
      orders: options.orders,
      seed: options.seed,
      start: options.start,
      pastDays: options.pastDays,
      futureDays: 0,
    }),
    ordersFile,
    eventsFile,
  );
  const csv = await collectCsvEvents({
    orders: ordersFile,
    events: eventsFile,
    defaultTimezone: config.policy.defaultTimezone,
  });
  if (csv.errors.length > 0) throw new Error(`demo CSV rejected: ${JSON.stringify(csv.errors[0])}`);
  const { playbooks, renderer } = await loadPlaybooks(config.playbooks);
  const db = join(dir, 'aftercare.db');
  const store = await openSqliteStore(db);
  await store.migrate();
  const from = options.start - options.pastDays * DAY;
  await PlaybookRegistry.open({ store: store.playbooks, playbooks, renderer, now: from });
  const result = await runSimulation({
    events: csv.events,
    playbooks,
    renderer,
    days: options.pastDays,
    config,
    start: from,
    // The simulation migrates and closes the store it is given: here, the file the report reads.
    openStore: () => Promise.resolve(store),
    channels: simulationParts().channels,
  });
  return { db, config, playbooks, result };
}
