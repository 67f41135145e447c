// The outbox: messages that went out, newest first, a keyset page at a time (the store walks the
// sent touch points by sent time, so a page costs the same at millions), filtered by channel and
// step; and one message as it was sent: subject, text part, and the HTML part in a sandboxed frame
// (no script, no forms, links made inert) from the e-mail outbox's copy, or rendered again from its
// template when there is no copy. The page says which. An erased customer's messages are not shown.
import type { FastifyRequest } from 'fastify';
import { CHANNELS } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import type { SentMessage } from '../../engine/commands/outbox.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { esc, table, timeIn } from './layout.js';
import { DASHBOARD_PREFIX } from './routes.js';

const PAGE = 25;

/** Links and form targets of a message's HTML go nowhere: a preview never acts as the customer. */
export function inertHtml(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/\s(?:href|action|formaction)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, '');
}

function customerCell(sent: SentMessage): string {
  const { customer, touchPoint } = sent;
  if (sent.erased) return '<span class="muted">erased customer</span>';
  if (customer === null)
    return `<span class="muted">${esc(touchPoint.customerId)} (no longer on file)</span>`;
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return `<a href="${DASHBOARD_PREFIX}/customers/${encodeURIComponent(customer.id)}">${esc(customer.email ?? customer.id)}</a>${name ? `<br><span class="muted">${esc(name)}</span>` : ''}`;
}

function option(value: string, label: string, chosen: string): string {
  return `<option value="${esc(value)}"${value === chosen ? ' selected' : ''}>${esc(label)}</option>`;
}

export function outboxRoutes(context: DashboardContext): void {
  const { commands } = context.deps;

  context.route('GET', '/outbox', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const query = request.query as { channel?: string; step?: string; after?: string };
    const channel = (query.channel ?? '').trim();
    const step = (query.step ?? '').trim().slice(0, 200);
    if (channel !== '' && !(CHANNELS as readonly string[]).includes(channel)) {
      throw new AftercareError(
        'AFTERCARE_E_INPUT_INVALID',
        `channel: must be one of ${CHANNELS.join(', ')}`,
        {
          field: 'channel',
        },
      );
    }
    const page = await commands.outbox.list({
      channel: channel || null,
      stepKey: step || null,
      cursor: query.after ?? null,
      limit: PAGE,
    });
    const steps = [...new Set(commands.playbooks.list().flatMap((p) => p.steps.map((s) => s.key)))].sort();
    if (step !== '' && !steps.includes(step)) steps.push(step);
    const filters = { ...(channel ? { channel } : {}), ...(step ? { step } : {}) };
    const rows = page.items.map((sent) => {
      const tp = sent.touchPoint;
      const open = sent.erased
        ? '<span class="muted">not shown</span>'
        : `<a href="${DASHBOARD_PREFIX}/outbox/${encodeURIComponent(tp.id)}">Preview<span class="skip"> the ${esc(tp.stepKey)} message to ${esc(sent.customer?.email ?? tp.customerId)}</span></a>`;
      return [
        esc(timeIn(tp.outcomeAt, zone)),
        customerCell(sent),
        `${esc(tp.stepKey)}<br><span class="muted">${esc(tp.playbook)} v${tp.playbookVersion}</span>`,
        esc(tp.channel),
        open,
      ];
    });
    const next =
      page.next === null
        ? ''
        : `<p><a href="${DASHBOARD_PREFIX}/outbox?${new URLSearchParams({ ...filters, after: page.next }).toString()}">Next ${PAGE}</a></p>`;
    const first = query.after
      ? `<p><a href="${DASHBOARD_PREFIX}/outbox?${new URLSearchParams(filters).toString()}">Back to the newest</a></p>`
      : '';
    const body = `<form class="card" method="get" action="${DASHBOARD_PREFIX}/outbox" aria-label="Filter sent messages">
<label for="channel">Channel</label>
<select id="channel" name="channel">${option('', 'Every channel', channel)}${CHANNELS.map((c) => option(c, c, channel)).join('')}</select>
<label for="step">Step</label>
<select id="step" name="step">${option('', 'Every step', step)}${steps.map((s) => option(s, s, step)).join('')}</select>
<p><button type="submit">Show</button></p>
</form>
<section class="card" aria-labelledby="sent"><h2 id="sent">Sent, newest first</h2>
<p class="muted">Times in ${esc(zone)}.</p>
${table('Sent messages', ['Sent', 'Customer', 'Step', 'Channel', 'Message'], rows, 'Nothing sent matches.')}
${first}${next}
</section>`;
    return context.send(request, reply, { title: 'Outbox', body, current: '/outbox' });
  });

  context.route('GET', '/outbox/:id', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const { id } = request.params as { id: string };
    const preview = await commands.outbox.preview(id);
    if (!preview.ok && preview.why !== 'not_renderable') {
      const message =
        preview.why === 'erased'
          ? 'This customer was erased: their messages are not shown.'
          : preview.why === 'not_sent'
            ? 'This touch point was not sent: only sent messages are in the outbox.'
            : 'No such message.';
      throw new AftercareError(
        preview.why === 'erased' ? 'AFTERCARE_E_ERASED' : 'AFTERCARE_E_NOT_FOUND',
        message,
        {
          id,
        },
      );
    }
    const { touchPoint: tp } = preview.sent;
    const about = `<p><a href="${DASHBOARD_PREFIX}/outbox">Back to the outbox</a></p>
<section class="card" aria-labelledby="about"><h2 id="about">Sent</h2>
<p>${esc(timeIn(tp.outcomeAt, zone, true))} by ${esc(tp.channel)} · step ${esc(tp.stepKey)} of ${esc(tp.playbook)} v${tp.playbookVersion} · to ${customerCell(preview.sent)}</p></section>`;
    if (!preview.ok) {
      const body = `${about}<p class="error" role="alert">No copy of this message was kept, and it cannot be rendered again: ${esc(preview.detail)}.</p>`;
      return context.send(request, reply, { title: 'Sent message', body, current: '/outbox' });
    }
    const { message } = preview;
    const source =
      preview.source === 'copy'
        ? `<p class="notice" role="status">This is the copy written when it was sent (the e-mail outbox, ${esc(preview.copyPath ?? '')}).</p>`
        : `<p class="notice" role="status">No copy of this message was kept (it went out through ${esc(tp.channel === 'email' ? 'SMTP' : tp.channel)}): this is its template rendered again as the dispatcher composed it: the same step version, order (and the other orders it answered), sent time, insider offer code and customer story, with the customer's details as they are on file now. Its links are sealed afresh and open nothing.</p>`;
    const html =
      message.html === null
        ? '<p class="muted">This message has no HTML part.</p>'
        : `<iframe class="mail" sandbox="" title="The HTML part" srcdoc="${esc(inertHtml(message.html))}"></iframe>
<p class="muted">Shown without script; its links are turned off here (the text part lists them).</p>`;
    const body = `${about}${source}
<section class="card" aria-labelledby="subject"><h2 id="subject">Subject</h2><p>${esc(message.subject || '(none)')}</p></section>
<section class="card" aria-labelledby="text"><h2 id="text">Text part</h2><div class="script">${esc(message.text)}</div></section>
<section class="card" aria-labelledby="html"><h2 id="html">HTML part</h2>${html}</section>`;
    return context.send(request, reply, { title: 'Sent message', body, current: '/outbox' });
  });
}
