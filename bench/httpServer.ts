// The server side of bench/http.ts, in its own process so the load generator does not share its
// event loop: `webhooks` runs the real app as the composition root builds it (API, webhooks,
// metrics, security headers) on a SQLite file with the reassure playbook; `hello` a bare Fastify
// hello-world route. Prints `{"address": ...}` once listening, and `{"peakRssMb": ...}` when it
// stops on SIGTERM.
import Fastify, { type FastifyInstance } from 'fastify';
import { compose } from '../src/app/compose.js';
import { loadConfig } from '../src/config.js';

const mode = process.argv[2] ?? 'webhooks';

async function webhookServer(): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const composed = await compose(loadConfig({ ...process.env, AFTERCARE_PLAYBOOKS: 'reassure' }));
  const app = await composed.buildHttp({ logger: false });
  return {
    app,
    close: async () => {
      await app.close();
      await composed.close();
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
    () => {
      console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
