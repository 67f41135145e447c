// The server side of bench/http.ts, in its own process so the load generator does not share its
// event loop: `webhooks` runs the real app (buildApp: API, webhooks, metrics, security headers)
// on a SQLite file with the reassure playbook; `hello` a bare Fastify hello-world route. Prints
// `{"address": ...}` once listening and stops on SIGTERM.
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { builtinPlaybookPath, loadPlaybookFile } from '../src/core/playbook/load.js';
import { SystemClock } from '../src/engine/clock.js';
import { Intake, makeIntakeReducer } from '../src/engine/intake.js';
import { buildApp } from '../src/http/app.js';
import { openSqliteStore } from '../src/store/sqlite/store.js';
import { TemplateRenderer } from '../src/templates/render.js';

const mode = process.argv[2] ?? 'webhooks';

async function webhookServer(): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const config = loadConfig(process.env);
  const renderer = new TemplateRenderer({ dirs: [] });
  const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'), renderer);
  const store = await openSqliteStore(config.db);
  await store.migrate();
  const clock = new SystemClock();
  const intake = new Intake(
    store.intake,
    makeIntakeReducer({
      playbooks: [playbook],
      defaultTimezone: config.policy.defaultTimezone,
      holdoutShare: config.holdoutShare,
      holdoutSalt: config.holdoutSalt,
      now: () => clock.now(),
    }),
  );
  const app = await buildApp({
    config,
    store,
    intake,
    clock,
    playbooks: [playbook],
    renderer,
    logger: false,
  });
  return {
    app,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

function helloServer(): { app: FastifyInstance; close: () => Promise<void> } {
  const app = Fastify({ logger: false });
  app.get('/hello', () => ({ hello: 'world' }));
  return { app, close: () => app.close() };
}

const server = mode === 'hello' ? helloServer() : await webhookServer();
const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ address }));
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
