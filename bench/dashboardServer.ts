// The server side of bench/dashboard.ts, in its own process so the timing client does not share
// its event loop: the real app as `serve` builds it, on the seeded store AFTERCARE_DB names, with
// the owner the benchmark signs in as (created here, before listening: start-up, not measured).
// Prints `{"address": ...}` once listening; stops on SIGTERM.
import { compose } from '../src/app/compose.js';
import { loadConfig } from '../src/config.js';
import { BENCH_OWNER } from './dashboardSeed.js';

const composed = await compose(loadConfig({ ...process.env, AFTERCARE_LOG_LEVEL: 'silent' }));
const created = await composed.commands.users.create({
  email: BENCH_OWNER.email,
  role: 'owner',
  name: 'Bench owner',
  password: BENCH_OWNER.password,
});
if (!created.ok) throw new Error(`could not create the bench owner: ${JSON.stringify(created)}`);
const app = await composed.buildHttp({ logger: false });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ address }));
process.once('SIGTERM', () => {
  Promise.all([app.close(), composed.close()]).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
