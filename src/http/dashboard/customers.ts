// Customers: search by the start of an address or of a name (server-side, a keyset page at a time, so it
// costs the same at a million customers), and one customer's timeline: events, touch points
// sent, skipped or cancelled with their reasons, answers, concerns and tasks, newest first; its
// scheduled touch points with the forms to change them, and the GDPR card, for those allowed
// (touchPointActions.ts, privacyActions.ts).
import type { FastifyRequest } from 'fastify';
import type { StoredEvent } from '../../core/domain.js';
import { may } from '../../core/roles.js';
import { AftercareError } from '../../errors.js';
import { flashHtml, takeFlash } from './flash.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { esc, table, timeIn } from './layout.js';
import { erasedAtOf, privacySection } from './privacyActions.js';
import { DASHBOARD_PREFIX } from './routes.js';
import { scheduledSection, timelineFlashKey } from './touchPointActions.js';

const PAGE = 25;

interface Entry {
  at: number;
  kind: string;
  what: string;
}

/** What an event's data says that a person reads: a score, a comment, a reason... */
function eventDetail(event: StoredEvent): string {
  const parts: string[] = [];
  for (const key of ['score', 'comment', 'outcome', 'notes', 'reason', 'summary', 'carrier', 'subject']) {
    const value = event.data[key];
    if (typeof value === 'string' || typeof value === 'number') parts.push(`${key}: ${String(value)}`);
  }
  return parts.join(' · ');
}

export function customerRoutes(context: DashboardContext): void {
  const { commands, clock, config } = context.deps;

  context.route('GET', '/customers', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const query = request.query as { q?: string; by?: string; after?: string };
    const q = (query.q ?? '').slice(0, 200);
    const by = query.by ?? 'email';
    if (by !== 'email' && by !== 'name') {
      throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'by: search by "email" or "name"', {
        field: 'by',
      });
    }
    const page = await commands.customers.search({ text: q, by, cursor: query.after ?? null, limit: PAGE });
    const rows = page.customers.map((c) => [
      `<a href="${DASHBOARD_PREFIX}/customers/${encodeURIComponent(c.id)}">${esc(c.email ?? c.id)}</a>`,
      esc([c.firstName, c.lastName].filter(Boolean).join(' ')),
      esc(String(Math.round(c.temperature))),
      esc(String(c.openConcerns)),
      esc(timeIn(c.createdAt, user.timeZone)),
    ]);
    const next =
      page.next === null
        ? ''
        : `<p><a href="${DASHBOARD_PREFIX}/customers?${new URLSearchParams({ q, by, after: page.next }).toString()}">Next ${PAGE}</a></p>`;
    const option = (value: string, label: string): string =>
      `<option value="${value}"${by === value ? ' selected' : ''}>${label}</option>`;
    const heading =
      q.trim() === ''
        ? 'All customers'
        : by === 'name'
          ? `Names starting with “${esc(q)}”`
          : `Addresses starting with “${esc(q)}”`;
    const body = `<form class="card" method="get" action="${DASHBOARD_PREFIX}/customers" role="search">
<label for="by">Search by</label>
<select id="by" name="by">${option('email', 'E-mail address')}${option('name', 'Name (first name first)')}</select>
<label for="q">Starts with</label>
<input id="q" name="q" type="search" value="${esc(q)}" autocomplete="off">
<button type="submit">Search</button>
</form>
<section class="card" aria-labelledby="found"><h2 id="found">${heading}</h2>
${table('Customers', ['Customer', 'Name', 'Temperature', 'Open concerns', 'Since'], rows, 'No customer found.')}
${query.after ? `<p><a href="${DASHBOARD_PREFIX}/customers?${new URLSearchParams({ q, by }).toString()}">Back to the first page</a></p>` : ''}${next}
</section>`;
    return context.send(request, reply, { title: 'Customers', body, current: '/customers' });
  });

  context.route('GET', '/customers/:id', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const { id } = request.params as { id: string };
    const customer = await commands.customers.get(id);
    if (customer === null) throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such customer.', { id });
    const [events, touchPoints, orders, concerns, tasks] = await Promise.all([
      commands.customers.timeline(id),
      commands.customers.touchPoints(id),
      commands.customers.orders(id),
      commands.concerns.list({ customerId: id, limit: 100 }),
      commands.tasks.list({ customerId: id, limit: 100 }),
    ]);
    const entries: Entry[] = [
      ...(events ?? []).map((e) => ({
        at: e.at,
        kind: 'event',
        what: `${e.type}${eventDetail(e) ? ` — ${eventDetail(e)}` : ''}`,
      })),
      ...(touchPoints ?? []).map((tp) => ({
        at: tp.outcomeAt ?? tp.dueAt,
        kind: `touch point ${tp.status}`,
        what: `${tp.playbook} · ${tp.stepKey} by ${tp.channel}${tp.reason ? ` — ${tp.reason.code}${tp.reason.detail ? `: ${tp.reason.detail}` : ''}` : ''}${tp.holdout ? ' (holdout)' : ''}`,
      })),
      ...concerns.map((c) => ({
        at: c.openedAt,
        kind: `concern ${c.status}`,
        what: `${c.summary} (${c.severity}${c.owner ? `, ${c.owner}` : ''})${c.resolution ? ` — ${c.resolution}` : ''}`,
      })),
      ...tasks.map((t) => ({
        at: t.completedAt ?? t.dueAt,
        kind: `task ${t.status}`,
        what: `${t.title}${t.outcome ? ` — ${t.outcome}` : ''}${t.notes ? `: ${t.notes}` : ''}${t.owner ? ` (${t.owner})` : ''}`,
      })),
    ].sort((a, b) => b.at - a.at);
    const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
    const flash = takeFlash(config, request, reply, timelineFlashKey(customer.id));
    const erasedAt = erasedAtOf(customer);
    const body = `${flashHtml(flash)}
<section class="card" aria-labelledby="about"><h2 id="about">About</h2>
${erasedAt === null ? '' : `<p><strong>Erased</strong> on ${esc(timeIn(erasedAt, zone, true))}: their personal data is gone; ids, statuses and times stay so counts hold.</p>`}
<p>${esc(name || customer.id)}${customer.email ? ` · ${esc(customer.email)}` : ''}${customer.phone ? ` · ${esc(customer.phone)}` : ''}</p>
<p>Temperature <strong>${Math.round(customer.temperature)}</strong> of 100 · segment ${esc(customer.segment)} · ${customer.holdout ? 'holdout (gets no program)' : 'in the program'} · ${customer.unsubscribedAt === null ? 'subscribed' : `unsubscribed ${esc(timeIn(customer.unsubscribedAt, zone))}`}</p>
<ul>${customer.temperatureReasons
      .slice(-5)
      .reverse()
      .map((r) => `<li>${r.delta > 0 ? '+' : ''}${r.delta}: ${esc(r.why)}</li>`)
      .join('')}</ul>
<h3>Orders</h3>${table(
      'Orders',
      ['Placed', 'Order', 'Total'],
      (orders ?? []).map((o) => [
        esc(timeIn(o.placedAt, zone)),
        esc(o.number ?? o.id),
        esc(`${o.total.toFixed(2)} ${o.currency}`),
      ]),
      'None.',
    )}
</section>
${scheduledSection({
  touchPoints: touchPoints ?? [],
  zone,
  now: clock.now(),
  canChange: may(user.role, 'touchPoints.change'),
  csrf: reply.generateCsrf(),
})}
${privacySection({ customer, canUse: may(user.role, 'privacy') })}
<section class="card" aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
<p class="muted">Newest first; times in ${esc(zone)}.</p>
${table(
  'Timeline',
  ['When', 'What kind', 'What'],
  entries.map((e) => [esc(timeIn(e.at, zone)), esc(e.kind), esc(e.what)]),
  'Nothing yet.',
)}
</section>`;
    return context.send(request, reply, {
      title: name || customer.email || customer.id,
      body,
      current: '/customers',
    });
  });
}
