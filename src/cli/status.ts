// `aftercare status`: what the store holds, at a glance.
import { composeStore } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { redactUrl } from '../config/redact.js';
import type { StatusCounts } from '../store/ports/reads.js';
import { EXIT_OK } from './exit.js';

function formatCounts(db: string, counts: StatusCounts): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const group = (values: Record<string, number>): string =>
    Object.entries(values)
      .map(([status, count]) => `${status} ${n(count)}`)
      .join(', ');
  const touchPoints = Object.values(counts.touchPoints).reduce((a, b) => a + b, 0);
  const tasks = Object.values(counts.tasks).reduce((a, b) => a + b, 0);
  return [
    `Store: ${db}`,
    `  customers     ${n(counts.customers)}`,
    `  orders        ${n(counts.orders)}`,
    `  events        ${n(counts.events)}`,
    `  touch points  ${n(touchPoints)} (${group(counts.touchPoints)})`,
    `  tasks         ${n(tasks)} (${group(counts.tasks)})`,
    '',
  ].join('\n');
}

export async function statusCommand(options: { json?: boolean }): Promise<number> {
  const config = loadConfig(process.env);
  // Reads only: a mistyped AFTERCARE_DB is an error naming the path, not a new empty database.
  const app = await composeStore(config, { create: false });
  try {
    const counts = await app.commands.status.counts();
    process.stdout.write(
      options.json ? `${JSON.stringify(counts)}\n` : formatCounts(redactUrl(config.db), counts),
    );
    return EXIT_OK;
  } finally {
    await app.close();
  }
}
