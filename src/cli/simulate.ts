// `aftercare simulate`: the production intake and dispatcher on a virtual clock over CSV orders;
// prints each customer's timeline, or one JSON object for tools. The composition root gives the
// playbooks and a fresh in-memory store and channels that send nothing.
import { composeSimulation } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { collectCsvEvents } from '../integrations/csv/collect.js';
import { fileSize } from '../integrations/csv/records.js';
import { formatRowError } from '../integrations/csv/rowError.js';
import { EXIT_OK, EXIT_REJECTED } from './exit.js';
import { formatConcerns, formatSummary, formatTimeline } from './timeline.js';

export interface SimulateOptions {
  orders: string;
  events?: string;
  playbook?: string[];
  days: number;
  json?: boolean;
}

export async function simulateCommand(options: SimulateOptions): Promise<number> {
  const config = loadConfig(process.env);
  await fileSize(options.orders);
  if (options.events) await fileSize(options.events);
  const simulator = await composeSimulation(config, options.playbook ?? config.playbooks);
  const csv = await collectCsvEvents({
    orders: options.orders,
    events: options.events ?? null,
    defaultTimezone: config.policy.defaultTimezone,
  });
  // Bad rows go to stderr so that stdout stays one clean JSON object with --json.
  for (const error of csv.errors) process.stderr.write(`${formatRowError(error)}\n`);
  const result = await simulator.run(csv.events, options.days);
  if (options.json) {
    const { deliveries, concerns, customers, summary } = result;
    process.stdout.write(`${JSON.stringify({ deliveries, concerns, customers, summary })}\n`);
  } else {
    process.stdout.write(formatTimeline(result.deliveries, result.customers));
    process.stdout.write(formatConcerns(result.concerns));
    process.stdout.write(formatSummary(result.summary));
    if (csv.rejectedRows > 0) process.stdout.write(`${csv.rejectedRows} CSV rows rejected (see above)\n`);
  }
  // As with import: the good rows were simulated, but the input was not all good.
  return csv.rejectedRows > 0 ? EXIT_REJECTED : EXIT_OK;
}
