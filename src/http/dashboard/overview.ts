// The overview: what the program does today and whether it works. Today's and upcoming touch
// points, open concerns and those past their SLA, the customers' temperatures, the holdout lift
// with its 95% interval (the measuring report, charts from src/report/svg.ts), and failures.
// Counting reads (status counts, temperature bands, the report) are kept for a minute per
// process: they scan, and a page that many people reload must not scan each time.
import type { TouchPoint } from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';
import { TEMPERATURE_BOUNDS } from '../../engine/commands/customers.js';
import { LIFT_LABELS, count, liftDifference, liftInterval, liftValue } from '../../report/format.js';
import { chartIds, liftChart } from '../../report/svg.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { esc, table, timeIn } from './layout.js';
import { DASHBOARD_PREFIX } from './routes.js';

const KEEP_MS = 60_000;
const LIST = 15;

/**
 * One value computed at most once per KEEP_MS (wall time), counted from when it was computed: a
 * computation that takes longer than KEEP_MS (the measuring report with a million customers) is
 * still kept, and shared by every request while it runs. A failure is not kept.
 */
function kept<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: { at: number; promise: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (value === null || now - value.at >= KEEP_MS) {
      const promise = compute();
      // Fresh while it runs; kept KEEP_MS from the moment it is there.
      const entry = { at: Infinity, promise };
      value = entry;
      promise.then(
        () => {
          entry.at = Date.now();
        },
        () => {
          if (value === entry) value = null;
        },
      );
    }
    return value.promise;
  };
}

const customerLink = (id: string): string =>
  `<a href="${DASHBOARD_PREFIX}/customers/${encodeURIComponent(id)}">${esc(id)}</a>`;

function touchPointRows(list: readonly TouchPoint[], zone: string): string[][] {
  return list.map((tp) => [
    esc(timeIn(tp.dueAt, zone)),
    customerLink(tp.customerId),
    esc(`${tp.playbook} · ${tp.stepKey}`),
    esc(tp.channel),
    tp.reason === null ? '' : esc(`${tp.reason.code}${tp.reason.detail ? `: ${tp.reason.detail}` : ''}`),
  ]);
}

function concernRows(list: readonly Concern[], zone: string, now: number): string[][] {
  return list.map((c) => {
    const breached = c.escalations.length > 0 || (c.nextEscalationAt !== null && c.nextEscalationAt <= now);
    return [
      esc(timeIn(c.openedAt, zone)),
      customerLink(c.customerId),
      esc(c.summary),
      esc(`${c.severity}, ${c.status}`),
      breached
        ? `<span class="bad">SLA passed (level ${c.level})</span>`
        : esc(`due ${timeIn(c.nextEscalationAt, zone)}`),
    ];
  });
}

export function overviewRoutes(context: DashboardContext): void {
  const { commands, clock } = context.deps;
  const counts = kept(() => commands.status.counts());
  const bands = kept(() => commands.customers.temperatureBands());
  const report = kept(() => commands.reports.measure({}));

  context.route('GET', '/overview', async (request, reply) => {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const now = clock.now();
    const [totals, temperatures, measured, upcoming, failed, concerns] = await Promise.all([
      counts(),
      bands(),
      report(),
      commands.touchPoints.list({ status: 'scheduled', limit: LIST }),
      commands.touchPoints.list({ status: 'failed', limit: LIST }),
      commands.concerns.list({ status: 'unresolved', limit: 50 }),
    ]);
    const endOfDay = now + 86_400_000;
    const today = upcoming.filter((tp) => tp.dueAt < endOfDay).length;
    const breached = concerns.filter(
      (c) => c.escalations.length > 0 || (c.nextEscalationAt !== null && c.nextEscalationAt <= now),
    ).length;

    const tiles = `<div class="grid">
<section class="card" aria-labelledby="t-due"><h2 id="t-due">Touch points</h2><p class="big">${count(totals.touchPoints.scheduled)}</p><p class="muted">scheduled; ${count(today)}${upcoming.length === LIST && today === LIST ? '+' : ''} due in the next 24 hours; ${count(totals.touchPoints.sent)} sent so far</p></section>
<section class="card" aria-labelledby="t-concerns"><h2 id="t-concerns">Open concerns</h2><p class="big">${count(concerns.length)}${concerns.length === 50 ? '+' : ''}</p><p class="${breached > 0 ? 'bad' : 'muted'}">${count(breached)} past their SLA</p></section>
<section class="card" aria-labelledby="t-tasks"><h2 id="t-tasks">Tasks</h2><p class="big">${count(totals.tasks.open + totals.tasks.claimed)}</p><p class="muted">${count(totals.tasks.open)} open, ${count(totals.tasks.claimed)} claimed</p></section>
<section class="card" aria-labelledby="t-failed"><h2 id="t-failed">Failures</h2><p class="big">${count(totals.touchPoints.failed)}</p><p class="${totals.touchPoints.failed > 0 ? 'bad' : 'muted'}">touch points that could not be sent</p></section>
</div>`;

    const total = temperatures.reduce((a, b) => a + b, 0);
    const labels = [
      'below 20 (cold)',
      ...TEMPERATURE_BOUNDS.slice(1).map((b, i) => `${TEMPERATURE_BOUNDS[i]}-${b - 1}`),
      `${TEMPERATURE_BOUNDS.at(-1)} and above (warm)`,
    ];
    const temperatureRows = temperatures.map((n, i) => [
      esc(labels[i] ?? ''),
      count(n),
      `<svg width="200" height="12" aria-hidden="true" focusable="false"><rect width="${total === 0 ? 0 : Math.round((n / total) * 200)}" height="12" fill="#0b57d0"/></svg> ${total === 0 ? '' : `${Math.round((n / total) * 100)}%`}`,
    ]);

    const ids = chartIds();
    const liftRows = measured.lift.map((lift) => [
      esc(LIFT_LABELS[lift.metric]),
      esc(`${liftValue(lift.metric, lift.treatment.value)} (n=${lift.treatment.n})`),
      esc(`${liftValue(lift.metric, lift.holdout.value)} (n=${lift.holdout.n})`),
      esc(liftDifference(lift.metric, lift.difference)),
      esc(liftInterval(lift)),
      liftChart(ids, lift),
    ]);

    const body = `${tiles}
<section class="card" aria-labelledby="lift"><h2 id="lift">Does it work? Program against holdout</h2>
<p class="muted">First orders: ${count(measured.population.treatment.firstOrders)} with the program, ${count(measured.population.holdout.firstOrders)} in the holdout; the dot is the difference, the whiskers its 95% confidence interval, the grey band the smallest difference these numbers can detect. As of ${esc(measured.period.asOf)}.</p>
${table('Lift against the holdout', ['Metric', 'Program', 'Holdout', 'Difference', '95% interval', 'Chart'], liftRows, 'No orders measured yet.')}
</section>
<div class="grid">
<section class="card" aria-labelledby="upcoming"><h2 id="upcoming">Today and upcoming</h2>
${table('Upcoming touch points', ['Due', 'Customer', 'Step', 'Channel', 'Note'], touchPointRows(upcoming, zone), 'Nothing scheduled.')}</section>
<section class="card" aria-labelledby="temps"><h2 id="temps">Customers by temperature</h2>
${table('Customers by temperature', ['Temperature', 'Customers', 'Share'], temperatureRows, 'No customers yet.')}</section>
</div>
<section class="card" aria-labelledby="concerns"><h2 id="concerns">Open concerns</h2>
${table('Open concerns', ['Opened', 'Customer', 'What', 'Severity', 'SLA'], concernRows(concerns.slice(0, LIST), zone, now), 'No open concerns.')}</section>
<section class="card" aria-labelledby="failures"><h2 id="failures">Failures needing attention</h2>
${table('Failed touch points', ['Due', 'Customer', 'Step', 'Channel', 'Why'], touchPointRows(failed, zone), 'No failures.')}</section>`;
    return context.send(request, reply, { title: 'Overview', body, current: '/overview' });
  });
}
