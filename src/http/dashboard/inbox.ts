// A rep's inbox: their claimed tasks and the open ones, by due time in their zone; a task with
// its script and the customer's context (temperature and why, recent touch points, orders, open
// concerns); a typed outcome in two clicks (open the task, press the outcome), a call-back at a
// chosen time; and the concerns they took on. Claiming and completing go through the task
// commands: completing is an event on the customer's timeline, heard at once. Below, the deals
// they own that wait for their order, with the meetings proposed to the prospect.
import type { FastifyRequest } from 'fastify';
import type { Task } from '../../core/domain.js';
import type { Deal } from '../../core/deals/deal.js';
import type { DealCommands } from '../../engine/commands/deals.js';
import { fromLocal } from '../../core/localTime.js';
import { TASK_OUTCOMES } from '../../core/listening/types.js';
import { AftercareError } from '../../errors.js';
import { firstOf, formOf } from '../public/form.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { csrfField, esc, table, timeIn } from './layout.js';
import { DASHBOARD_PREFIX } from './routes.js';

export const OUTCOME_LABELS: Readonly<Record<(typeof TASK_OUTCOMES)[number], string>> = {
  reached: 'Reached',
  voicemail: 'Voicemail',
  no_answer: 'No answer',
  resolved: 'Resolved',
  problem_found: 'Problem found',
  callback: 'Call back',
};

const taskLink = (task: Task): string =>
  `<a href="${DASHBOARD_PREFIX}/tasks/${encodeURIComponent(task.id)}">${esc(task.title)}</a>`;

/** `2026-03-04T14:05` from a datetime-local field, in the user's zone. */
export function parseLocalDateTime(raw: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(raw.trim());
  if (m === null) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      'callbackAt: pick a day and a time for the call-back',
      {
        field: 'callbackAt',
      },
    );
  }
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return fromLocal({ year, month, day, hour, minute }, zone);
}

/**
 * Deals this person owns that no order has closed yet, by expected close: a deal's owner is what
 * the salesperson entered (API, CSV, CRM), matched to the user's address or name.
 */
async function myDeals(
  deals: Pick<DealCommands, 'list'>,
  user: { email: string; name: string | null },
): Promise<Deal[]> {
  const owners = [...new Set([user.email, user.name].filter((o): o is string => !!o && o.trim() !== ''))];
  const lists = await Promise.all(owners.map((owner) => deals.list({ owner, waiting: true, limit: 50 })));
  const byId = new Map(lists.flat().map((d) => [d.id, d]));
  return [...byId.values()].sort((a, b) => a.expectedCloseAt - b.expectedCloseAt || a.id.localeCompare(b.id));
}

export function inboxRoutes(context: DashboardContext): void {
  const { commands, clock } = context.deps;

  context.route('GET', '/inbox', async (request, reply) => {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const [mine, open, concerns, deals] = await Promise.all([
      commands.tasks.list({ status: 'claimed', owner: user.email, limit: 100 }),
      commands.tasks.list({ status: 'open', limit: 100 }),
      commands.concerns.list({ status: 'unresolved', owner: user.email, limit: 50 }),
      myDeals(commands.deals, user),
    ]);
    const now = clock.now();
    const rows = (list: readonly Task[]): string[][] =>
      list.map((t) => [
        `${t.dueAt < now ? '<span class="bad">overdue</span> ' : ''}${esc(timeIn(t.dueAt, zone))}`,
        taskLink(t),
        esc(t.kind),
        `<a href="${DASHBOARD_PREFIX}/customers/${encodeURIComponent(t.customerId)}">${esc(t.customerId)}</a>`,
      ]);
    const body = `<p class="muted">Times in ${esc(zone)}. Open a task to read its script and record what happened.</p>
<section class="card" aria-labelledby="mine"><h2 id="mine">My tasks</h2>
${table('My tasks', ['Due', 'Task', 'Kind', 'Customer'], rows(mine), 'Nothing claimed by you.')}</section>
<section class="card" aria-labelledby="open"><h2 id="open">Open tasks</h2>
${table('Open tasks', ['Due', 'Task', 'Kind', 'Customer'], rows(open), 'No open tasks. Well done.')}</section>
<section class="card" aria-labelledby="escalations"><h2 id="escalations">Escalations I own</h2>
${table(
  'Escalations I own',
  ['Opened', 'Customer', 'What', 'Level'],
  concerns.map((c) => [
    esc(timeIn(c.openedAt, zone)),
    `<a href="${DASHBOARD_PREFIX}/customers/${encodeURIComponent(c.customerId)}">${esc(c.customerId)}</a>`,
    esc(c.summary),
    esc(String(c.level)),
  ]),
  'None.',
)}</section>
<section class="card" aria-labelledby="deals"><h2 id="deals">My deals and their proposed meetings</h2>
${table(
  'My deals and their proposed meetings',
  ['Expected close', 'Company', 'Stage', 'Proposed meetings'],
  deals.map((d) => [
    esc(timeIn(d.expectedCloseAt, zone)),
    `${esc(d.company)}<br><span class="muted">${esc(d.contact.name)}, ${esc(d.contact.email)}</span>`,
    esc(d.stage),
    d.meetings.length === 0
      ? '<span class="muted">none</span>'
      : `<ul>${d.meetings
          .map(
            (m) =>
              `<li>${esc(timeIn(m.at, zone))}: ${esc(m.objective)} <span class="muted">(${esc(m.state)})</span></li>`,
          )
          .join('')}</ul>`,
  ]),
  'No deals waiting for their order.',
)}</section>`;
    return context.send(request, reply, { title: 'Inbox', body, current: '/inbox' });
  });

  context.route('GET', '/tasks/:id', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const { id } = request.params as { id: string };
    const task = await commands.tasks.get(id);
    if (task === null) throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such task.', { id });
    const [customer, orders, touchPoints, concerns] = await Promise.all([
      commands.customers.get(task.customerId),
      commands.customers.orders(task.customerId),
      commands.customers.touchPoints(task.customerId),
      commands.concerns.list({ customerId: task.customerId, status: 'unresolved', limit: 20 }),
    ]);
    const done = task.status === 'done' || task.status === 'cancelled';
    const notice =
      (request.query as { done?: string }).done === '1'
        ? '<p class="notice" role="status">Saved. The outcome is on the customer\'s timeline.</p>'
        : '';
    const outcomeForm = done
      ? `<p>This task is ${esc(task.status)}${task.outcome ? `: ${esc(OUTCOME_LABELS[task.outcome as keyof typeof OUTCOME_LABELS] ?? task.outcome)}` : ''}.</p>`
      : `<form method="post" action="${DASHBOARD_PREFIX}/tasks/${encodeURIComponent(task.id)}/outcome">
${csrfField(reply.generateCsrf())}
<label for="notes">Notes (optional)</label>
<textarea id="notes" name="notes" maxlength="2000"></textarea>
<fieldset class="outcomes"><legend>What happened?</legend>
${TASK_OUTCOMES.filter((o) => o !== 'callback')
  .map((o) => `<button type="submit" name="outcome" value="${o}">${esc(OUTCOME_LABELS[o])}</button>`)
  .join('\n')}
</fieldset>
<fieldset><legend>Or call back later</legend>
<label for="callbackAt">Call back at (${esc(zone)})</label>
<input id="callbackAt" name="callbackAt" type="datetime-local">
<button type="submit" name="outcome" value="callback">${esc(OUTCOME_LABELS.callback)}</button>
</fieldset>
</form>`;
    const sent = (touchPoints ?? [])
      .filter((tp) => tp.status !== 'scheduled')
      .sort((a, b) => b.dueAt - a.dueAt)
      .slice(0, 5);
    const body = `${notice}
<p><a href="${DASHBOARD_PREFIX}/inbox">Back to the inbox</a> · due ${esc(timeIn(task.dueAt, zone, true))} · ${esc(task.kind)} · ${esc(task.status)}${task.owner ? ` by ${esc(task.owner)}` : ''}</p>
<div class="grid">
<section class="card" aria-labelledby="script"><h2 id="script">Script</h2><div class="script">${esc(task.script)}</div>
${outcomeForm}</section>
<section class="card" aria-labelledby="who"><h2 id="who">The customer</h2>
${
  customer === null
    ? '<p>This customer is no longer on file.</p>'
    : `<p><a href="${DASHBOARD_PREFIX}/customers/${encodeURIComponent(customer.id)}">${esc([customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.id)}</a>
${customer.phone ? ` · <a href="tel:${esc(customer.phone.replace(/[^+\d]/g, ''))}">${esc(customer.phone)}</a>` : ''}${customer.email ? ` · ${esc(customer.email)}` : ''}</p>
<p>Temperature <strong>${Math.round(customer.temperature)}</strong> of 100</p>
<ul>${customer.temperatureReasons
        .slice(-5)
        .reverse()
        .map((r) => `<li>${r.delta > 0 ? '+' : ''}${r.delta}: ${esc(r.why)}</li>`)
        .join('')}</ul>
<h3>Open concerns</h3>${table(
        'Open concerns',
        ['Opened', 'What'],
        concerns.map((c) => [esc(timeIn(c.openedAt, zone)), esc(c.summary)]),
        'None.',
      )}
<h3>Recent touch points</h3>${table(
        'Recent touch points',
        ['When', 'Step', 'Status'],
        sent.map((tp) => [
          esc(timeIn(tp.outcomeAt ?? tp.dueAt, zone)),
          esc(tp.stepKey),
          esc(`${tp.status}${tp.reason ? ` (${tp.reason.code})` : ''}`),
        ]),
        'None yet.',
      )}
<h3>Orders</h3>${table(
        'Orders',
        ['Placed', 'Order', 'Total'],
        (orders ?? [])
          .slice(-5)
          .reverse()
          .map((o) => [
            esc(timeIn(o.placedAt, zone)),
            esc(o.number ?? o.id),
            esc(`${o.total.toFixed(2)} ${o.currency}`),
          ]),
        'None.',
      )}`
}
</section>
</div>`;
    return context.send(request, reply, { title: task.title, body, current: '/inbox' });
  });

  context.route('POST', '/tasks/:id/outcome', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const { id } = request.params as { id: string };
    const fields = formOf(request.body);
    const outcome = firstOf(fields, 'outcome') ?? '';
    const notes = (firstOf(fields, 'notes') ?? '').trim().slice(0, 2000) || null;
    const callbackRaw = firstOf(fields, 'callbackAt') ?? '';
    const callbackAt = outcome === 'callback' ? parseLocalDateTime(callbackRaw, user.timeZone) : null;
    // One click: the task is claimed for the person recording its outcome, then completed.
    const claimed = await commands.tasks.claim(id, user.email);
    if (!claimed.ok) {
      if (claimed.why === 'not_found')
        throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such task.', { id });
      throw new AftercareError(
        'AFTERCARE_E_CONFLICT',
        claimed.current.status === 'claimed'
          ? `${claimed.current.owner ?? 'Someone else'} is working on this task.`
          : `This task is ${claimed.current.status} already.`,
        { id },
      );
    }
    const completed = await commands.tasks.complete(id, { outcome, notes, callbackAt });
    if (!completed.ok) {
      throw new AftercareError('AFTERCARE_E_CONFLICT', 'This task was completed meanwhile.', { id });
    }
    return reply.redirect(`${DASHBOARD_PREFIX}/tasks/${encodeURIComponent(id)}?done=1`, 303);
  });
}
