// Trying a playbook change before it runs: check pasted YAML (every problem with its line and
// column, or "valid" with the steps it would run), and simulate the running playbooks over
// sample or pasted orders (the engine of `aftercare simulate`, on a fresh in-memory store in
// this process, bounded in orders, days and time): who would get what and when, in each
// customer's zone, and what was skipped and why. Nothing is stored, enrolled or sent.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DomainEvent } from '../../core/domain.js';
import { MAX_PLAYBOOK_BYTES, type PlaybookIssue } from '../../core/playbook/parse.js';
import { SIMULATION_LIMITS } from '../../engine/commands/playbooks.js';
import type { Delivery, SimulationResult } from '../../engine/simulation.js';
import { AftercareError } from '../../errors.js';
import type { CsvRowError } from '../../integrations/csv/rowError.js';
import { firstOf, formOf } from '../public/form.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { csrfField, esc, table, timeIn } from './layout.js';
import { playbookHref, scrollable, stepsTable } from './playbooks.js';
import { timelineSvg } from './playbookTimeline.js';
import { DASHBOARD_PREFIX } from './routes.js';
import {
  MAX_PASTED_BYTES,
  MAX_SAMPLE_ORDERS,
  simulationOrders,
  type OrdersInput,
} from './simulationOrders.js';

const BASE = `${DASHBOARD_PREFIX}/playbooks`;
const DEFAULT_DAYS = 60;
const DEFAULT_SAMPLE = 10;
const DEFAULT_SEED = 'aftercare';

/** Where an issue points, and the text of that line (the first 160 characters). */
function issueRows(issues: readonly PlaybookIssue[], text: string): string[][] {
  const lines = text.split(/\r?\n/);
  return issues.map((issue) => {
    const line = lines[issue.line - 1] ?? '';
    return [
      String(issue.line),
      String(issue.column),
      issue.field === '' ? '<span class="muted">(YAML)</span>' : `<code>${esc(issue.field)}</code>`,
      esc(issue.message),
      line.trim() === '' ? '' : `<pre class="code">${esc(line.slice(0, 160))}</pre>`,
    ];
  });
}

function validateForm(csrf: string, yaml: string): string {
  return `<form class="card" method="post" action="${BASE}/validate">
${csrfField(csrf)}
<label for="yaml">Playbook YAML</label>
<p class="muted" id="yaml-help">At most ${MAX_PLAYBOOK_BYTES / 1024} KiB. Checked as at start-up, templates included; nothing is loaded or run.</p>
<textarea class="code" id="yaml" name="yaml" aria-describedby="yaml-help" spellcheck="false" required>${esc(yaml)}</textarea>
<p><button type="submit">Check</button></p>
</form>`;
}

interface SimulateFields {
  playbook: string;
  source: 'sample' | 'csv' | 'json';
  sample: string;
  seed: string;
  orders: string;
  events: string;
  json: string;
  days: string;
}

function simulateForm(csrf: string, fields: SimulateFields, playbooks: readonly string[]): string {
  const checked = (source: SimulateFields['source']): string => (fields.source === source ? ' checked' : '');
  return `<form class="card" method="post" action="${BASE}/simulate">
${csrfField(csrf)}
<label for="playbook">Playbooks</label>
<select id="playbook" name="playbook"><option value="">All running playbooks</option>${playbooks
    .map(
      (name) =>
        `<option value="${esc(name)}"${name === fields.playbook ? ' selected' : ''}>${esc(name)}</option>`,
    )
    .join('')}</select>
<fieldset><legend>Orders</legend>
<label class="choice"><input type="radio" name="source" value="sample"${checked('sample')}> Sample orders</label>
<label class="choice"><input type="radio" name="source" value="csv"${checked('csv')}> Orders CSV</label>
<label class="choice"><input type="radio" name="source" value="json"${checked('json')}> Events JSON</label>
<div class="grid">
<div><label for="sample">Sample orders (1 to ${MAX_SAMPLE_ORDERS})</label>
<input id="sample" name="sample" type="number" min="1" max="${MAX_SAMPLE_ORDERS}" value="${esc(fields.sample)}">
<label for="seed">Seed</label><input id="seed" name="seed" value="${esc(fields.seed)}" maxlength="100">
<p class="muted">The orders <code>aftercare demo-data --orders N --seed S --events FILE</code> writes today.</p></div>
</div>
<label for="orders">Orders CSV (the import’s columns, with the header row)</label>
<textarea class="code" id="orders" name="orders" spellcheck="false">${esc(fields.orders)}</textarea>
<label for="events">Events CSV (optional: order_id, type, at, data)</label>
<textarea class="code" id="events" name="events" spellcheck="false">${esc(fields.events)}</textarea>
<label for="json">Events JSON (the body of POST /api/v1/events: {"events": [...]})</label>
<textarea class="code" id="json" name="json" spellcheck="false">${esc(fields.json)}</textarea>
<p class="muted">Pasted text: at most ${MAX_PASTED_BYTES / 1024} KiB each; at most ${SIMULATION_LIMITS.orders} orders and ${SIMULATION_LIMITS.events} events. For more, run <code>aftercare simulate</code>.</p>
</fieldset>
<label for="days">Days to simulate from the first event (1 to ${SIMULATION_LIMITS.days})</label>
<input id="days" name="days" type="number" min="1" max="${SIMULATION_LIMITS.days}" value="${esc(fields.days)}">
<p><button type="submit">Simulate</button></p>
</form>`;
}

function fieldsOf(body: unknown): SimulateFields {
  const form = formOf(body);
  const source = firstOf(form, 'source');
  return {
    playbook: firstOf(form, 'playbook') ?? '',
    source: source === 'csv' || source === 'json' ? source : 'sample',
    sample: firstOf(form, 'sample') ?? String(DEFAULT_SAMPLE),
    seed: firstOf(form, 'seed') ?? DEFAULT_SEED,
    orders: firstOf(form, 'orders') ?? '',
    events: firstOf(form, 'events') ?? '',
    json: firstOf(form, 'json') ?? '',
    days: firstOf(form, 'days') ?? String(DEFAULT_DAYS),
  };
}

function wholeNumber(raw: string, field: string, what: string): number {
  const text = raw.trim();
  if (!/^\d{1,6}$/.test(text)) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: ${what} must be a whole number`, {
      field,
    });
  }
  return Number(text);
}

function ordersInput(fields: SimulateFields, now: number): OrdersInput {
  switch (fields.source) {
    case 'sample': {
      const today = new Date(now);
      return {
        kind: 'sample',
        orders: wholeNumber(fields.sample, 'sample', 'the number of sample orders'),
        seed: fields.seed,
        // As `aftercare demo-data` without --start: today 00:00 UTC, so a seed gives the same orders all day.
        start: Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()),
      };
    }
    case 'csv':
      return { kind: 'csv', orders: fields.orders, events: fields.events };
    case 'json':
      return { kind: 'json', text: fields.json };
  }
}

/** Each order's customer zone, as the events gave it (absent: the business's). */
function zonesOf(events: readonly DomainEvent[]): Map<string, string> {
  const zones = new Map<string, string>();
  for (const event of events) {
    const zone = event.customer?.timezone;
    if (event.orderId !== null && zone) zones.set(event.orderId, zone);
  }
  return zones;
}

function outcomeText(d: Delivery): string {
  if (d.outcome === 'sent') return d.channel.startsWith('task:') ? 'task made' : 'sent';
  const reason = d.reason === null ? '' : `: ${d.reason}${d.reason_detail ? ` (${d.reason_detail})` : ''}`;
  return `${d.outcome}${reason}`;
}

function resultHtml(
  result: SimulationResult,
  events: readonly DomainEvent[],
  errors: readonly CsvRowError[],
  zone: string,
  fallbackZone: string,
): string {
  const { summary } = result;
  const zones = zonesOf(events);
  const byOrder = new Map<string, Delivery[]>();
  for (const d of result.deliveries) {
    const key = d.order_id ?? `customer:${d.customer_id}`;
    const list = byOrder.get(key) ?? [];
    list.push(d);
    byOrder.set(key, list);
  }
  const outcomes = Object.entries(summary.by_outcome)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');
  const errorList =
    errors.length === 0
      ? ''
      : `<div class="error" role="alert"><p>${errors.length} row problem${errors.length === 1 ? '' : 's'}: those orders were left out.</p><ul>${errors
          .slice(0, 50)
          .map((e) => `<li>${esc(`${e.file} line ${e.line}: ${e.field}: ${e.message}`)}</li>`)
          .join('')}</ul></div>`;
  const sections = [...byOrder].map(([key, deliveries], index) => {
    const orderZone = key.startsWith('customer:') ? fallbackZone : (zones.get(key) ?? fallbackZone);
    const first = deliveries[0]!;
    const heading = key.startsWith('customer:')
      ? `Customer ${first.email ?? first.customer_id} (not about one order)`
      : `Order ${key}${first.email ? ` · ${first.email}` : ''}${first.holdout ? ' · holdout' : ''}`;
    const rows = deliveries.map((d) => [
      esc(d.step),
      esc(d.channel),
      esc(timeIn(Date.parse(d.at), orderZone)),
      esc(outcomeText(d)),
      esc(d.subject ?? ''),
    ]);
    return `<section aria-labelledby="order-${index}"><h3 id="order-${index}">${esc(heading)}</h3>
<p class="muted">Times in the customer’s zone, ${esc(orderZone)}.</p>
${table(heading, ['Step', 'Channel', 'When', 'Outcome', 'Subject or task'], rows, 'Nothing for this order.')}</section>`;
  });
  return `<section class="card" aria-labelledby="result"><h2 id="result">What would happen</h2>
${errorList}
<p>${summary.orders} orders of ${summary.customers} customers over ${summary.days} days, from ${esc(timeIn(Date.parse(summary.start), zone, true))} to ${esc(timeIn(Date.parse(summary.end), zone, true))}: ${esc(outcomes || 'nothing due')}${summary.pending > 0 ? `; ${summary.pending} still scheduled after the period` : ''}${summary.events_rejected > 0 ? `; ${summary.events_rejected} events rejected` : ''}${summary.concerns_opened > 0 ? `; ${summary.concerns_opened} concerns opened` : ''}.</p>
${sections.join('\n') || '<p class="muted">Nothing would be sent.</p>'}
</section>`;
}

export function playbookToolRoutes(context: DashboardContext): void {
  const { commands, config, clock } = context.deps;
  const names = (): string[] => commands.playbooks.list().map((p) => p.name);

  context.route('GET', '/playbooks/validate', async (request: FastifyRequest, reply) => {
    const body = `<p><a href="${BASE}">Back to the playbooks</a></p>${validateForm(reply.generateCsrf(), '')}`;
    return context.send(request, reply, { title: 'Check a playbook', body, current: '/playbooks' });
  });

  context.route('POST', '/playbooks/validate', async (request: FastifyRequest, reply) => {
    const yaml = firstOf(formOf(request.body), 'yaml') ?? '';
    const bytes = Buffer.byteLength(yaml, 'utf8');
    const send = (status: number, result: string, echo: string): FastifyReply =>
      context.send(request, reply, {
        title: 'Check a playbook',
        status,
        current: '/playbooks',
        body: `<p><a href="${BASE}">Back to the playbooks</a></p>${result}${validateForm(reply.generateCsrf(), echo)}`,
      });
    if (bytes > MAX_PLAYBOOK_BYTES) {
      return send(
        413,
        `<p class="error" role="alert">The playbook is ${bytes.toLocaleString('en-US')} bytes; at most ${MAX_PLAYBOOK_BYTES.toLocaleString('en-US')} (${MAX_PLAYBOOK_BYTES / 1024} KiB) are checked. Split it, or remove what it does not need.</p>`,
        '',
      );
    }
    if (yaml.trim() === '') {
      return send(400, '<p class="error" role="alert">Paste the playbook’s YAML first.</p>', yaml);
    }
    const checked = commands.playbooks.validate(yaml, 'pasted');
    let result: string;
    if (checked.valid && checked.playbook !== null) {
      const p = checked.playbook;
      const moments = [...new Set(p.steps.map((s) => s.timing.moment))];
      const channels = [...new Set(p.steps.map((s) => s.channel))].sort();
      result = `<section class="card" aria-labelledby="verdict"><h2 id="verdict">Valid</h2>
<p class="notice" role="status">Valid: ${esc(p.name)} v${p.version}, ${p.steps.length} steps timed from ${esc(moments.join(', ') || 'nothing')}, through ${esc(channels.join(', ') || 'no channel')}.${commands.playbooks.get(p.name)?.version === p.version ? ` The running ${esc(p.name)} has the same version number: deploying a changed playbook needs a new version.` : ''}</p>
${timelineSvg(p)}
${scrollable('Steps (scrolls sideways)', stepsTable(p))}</section>`;
    } else {
      result = `<section class="card" aria-labelledby="verdict"><h2 id="verdict">${checked.issues.length} problem${checked.issues.length === 1 ? '' : 's'}</h2>
<p class="error" role="alert">Not valid: ${checked.issues.length === 1 ? 'one problem' : `${checked.issues.length} problems`}, each with its line and column below.</p>
${table('Problems', ['Line', 'Column', 'Field', 'Problem', 'The line'], issueRows(checked.issues, yaml), '')}</section>`;
    }
    return send(200, result, yaml);
  });

  context.route('GET', '/playbooks/simulate', async (request: FastifyRequest, reply) => {
    const query = request.query as { playbook?: string };
    const fields = fieldsOf({});
    if (query.playbook !== undefined && names().includes(query.playbook)) fields.playbook = query.playbook;
    const body = `<p><a href="${BASE}">Back to the playbooks</a></p>
<p>Runs the same engine as <code>aftercare simulate</code> (intake, planner, policies and dispatcher on a virtual clock) over a fresh store in memory. Nothing is stored or sent.</p>
${simulateForm(reply.generateCsrf(), fields, names())}`;
    return context.send(request, reply, { title: 'Simulate', body, current: '/playbooks' });
  });

  context.route('POST', '/playbooks/simulate', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const fields = fieldsOf(request.body);
    const page = (status: number, result: string): FastifyReply =>
      context.send(request, reply, {
        title: 'Simulate',
        status,
        current: '/playbooks',
        body: `<p><a href="${BASE}">Back to the playbooks</a>${fields.playbook ? ` · <a href="${playbookHref(fields.playbook)}">${esc(fields.playbook)}</a>` : ''}</p>${result}${simulateForm(reply.generateCsrf(), fields, names())}`,
      });
    try {
      const days = wholeNumber(fields.days, 'days', 'the number of days');
      const orders = await simulationOrders(ordersInput(fields, clock.now()), config.policy.defaultTimezone);
      if (orders.events.length === 0) {
        const why =
          orders.errors.length > 0
            ? ` (${orders.errors.length} row problems; the first: line ${orders.errors[0]!.line}: ${orders.errors[0]!.field}: ${orders.errors[0]!.message})`
            : '';
        throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `orders: no order could be read${why}`, {
          field: 'orders',
        });
      }
      const result = await commands.playbooks.simulate({
        events: orders.events,
        days,
        ...(fields.playbook === '' ? {} : { playbook: fields.playbook }),
      });
      return page(
        200,
        resultHtml(result, orders.events, orders.errors, user.timeZone, config.policy.defaultTimezone),
      );
    } catch (error) {
      if (error instanceof AftercareError && error.status < 500) {
        return page(error.status, `<p class="error" role="alert">${esc(error.message)}</p>`);
      }
      throw error;
    }
  });
}
