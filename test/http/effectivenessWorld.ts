// A shop with a measured history for the effectiveness pages: demo orders run through the
// production engine (test/support/history.ts) with 30% of customers held out, so lift has both
// groups; the app on that SQLite file, listening on 127.0.0.1 with one user per role (the
// passwords of dashboardWorld.ts), and two teams' audits imported, so they can be compared.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { compose, type App } from '../../src/app/compose.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { simulateHistory, type History } from '../support/history.js';
import { PASSWORD, USERS } from './dashboardWorld.js';

export const START = Date.UTC(2026, 9, 1);

const csv = (rows: string): string => `interaction,importance,performance,note\n${rows}`;
/** Support and sales disagree most about support (distance 4), then delivery (2). */
export const AUDITS = {
  support: csv('delivery,5,2,carrier is late\nsupport,5,2,\nrenewal,2,4,\norder-confirmation,3,4,\n'),
  sales: csv('delivery,4,3,\nsupport,3,4,replies within a day\nrenewal,2,5,\norder-confirmation,3,4,\n'),
};

export interface EffectivenessWorld {
  composed: App;
  store: Store;
  history: History;
  base: string;
  close(): Promise<void>;
}

export async function openEffectivenessWorld(): Promise<EffectivenessWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-effectiveness-'));
  const history = await simulateHistory(dir, {
    orders: 150,
    seed: 'effectiveness',
    start: START,
    pastDays: 60,
    env: { AFTERCARE_HOLDOUT: '0.3', AFTERCARE_TIMEZONE: 'Europe/London' },
  });
  const store = await openSqliteStore(history.db);
  const composed = await compose(history.config, { store, clock: new VirtualClock(START) });
  const { commands } = composed;
  for (const [role, email] of Object.entries(USERS)) {
    const created = await commands.users.create({ email, role, name: `${role} person`, password: PASSWORD });
    if (!created.ok) throw new Error(`could not create ${email}`);
  }
  for (const [team, text] of Object.entries(AUDITS)) {
    const imported = await commands.gaps.importAudit(team, text, `${team}.csv`);
    if (!imported.ok) throw new Error(`audit of ${team} refused: ${JSON.stringify(imported)}`);
  }
  const app: FastifyInstance = await composed.buildHttp({ logger: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    composed,
    store,
    history,
    base,
    close: async () => {
      await app.close();
      await composed.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
