// One reliability scenario's world: a fresh schema on the shared server, a file the workers
// append their sends to, and orders ingested through the production reducer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore, type PostgresHandle as PostgresStore } from '../../src/store/postgres/store.js';
import { orderEvents, reducer, testPlaybook } from './fixture.js';
import { spawnWorker, stopWorker, type WorkerProcess } from './harness.js';
import { TEST_PG_URL, uniqueSchema } from './server.js';
import type { ChildOptions } from './workerChild.js';

export interface Scenario {
  store: PostgresStore;
  schema: string;
  out: string;
  steps: number;
  workers: WorkerProcess[];
  ingest(count: number, from?: number): Promise<void>;
  spawn(worker: string, overrides?: Partial<ChildOptions>): WorkerProcess;
  /** Stop every worker still running and drop the schema and files. */
  close(): Promise<void>;
}

export async function openScenario(
  name: string,
  steps: number,
  defaults: Partial<ChildOptions> = {},
): Promise<Scenario> {
  const schema = uniqueSchema(name);
  const dir = mkdtempSync(join(tmpdir(), `aftercare-${name}-`));
  const out = join(dir, 'sent.jsonl');
  const store = await openPostgresStore(TEST_PG_URL, { schema, poolSize: 4, onError: () => undefined });
  const playbook = testPlaybook(steps);
  const reduce = reducer(playbook);
  const workers: WorkerProcess[] = [];
  return {
    store,
    schema,
    out,
    steps,
    workers,
    async ingest(count, from = 0) {
      // Placed a minute ago: every step is due now.
      const at = Date.now() - 60_000;
      for (let i = 0; i < count; i += 2000) {
        await store.intake.apply(orderEvents(Math.min(2000, count - i), at, from + i), reduce);
      }
    },
    spawn(worker, overrides = {}) {
      const child = spawnWorker({
        url: TEST_PG_URL,
        schema,
        out,
        worker,
        steps,
        leaseMs: 2_000,
        batchSize: 50,
        concurrency: 8,
        maxUnrecorded: 50,
        sendDelayMs: 0,
        sweepEveryMs: 1_000,
        ...defaults,
        ...overrides,
      });
      workers.push(child);
      return child;
    },
    async close() {
      await Promise.all(workers.map((w) => stopWorker(w)));
      await store.dropSchema().catch(() => undefined);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
