// GDPR from a customer's timeline: download everything held about them (the same JSON as the
// API's export), or erase them. Erasure cannot be undone, so it asks for the customer's address
// typed out on a page of its own, then runs the privacy commands and comes back to the timeline
// with what was removed (post/redirect/get), where the customer now shows as erased.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Customer } from '../../core/domain.js';
import type { Erasure } from '../../engine/commands/privacy.js';
import { AftercareError } from '../../errors.js';
import { firstOf, formOf } from '../public/form.js';
import { presentCustomerExport } from '../routes/privacy.js';
import { setFlash } from './flash.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { csrfField, esc, timeIn } from './layout.js';
import { timelineFlashKey, timelinePath } from './touchPointActions.js';

/** When the customer was erased; null while they are not (erasure keeps only this attribute). */
export function erasedAtOf(customer: Customer): number | null {
  const at = customer.attributes.erased_at;
  return typeof at === 'number' ? at : null;
}

/** What the person types to confirm: the address, or the id of a customer without one. */
const confirmationOf = (customer: Customer): string => customer.email ?? customer.id;

/** `customer-cus-ada-export.json`: only characters every file system takes. */
export function exportFileName(customerId: string): string {
  return `customer-${customerId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}-export.json`;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What an erasure removed, line by line, for the notice on the timeline. */
export function erasureLines(erasure: Extract<Erasure, { ok: true }>): string[] {
  const { report } = erasure;
  return [
    'Contact details and attributes (name, e-mail address, phone, zone, preferences)',
    `${count(report.orders, 'order', 'orders')}: items, shipments, shipping addresses and attributes`,
    `${count(report.events, 'event', 'events')}: what they held (answers, comments, replies)`,
    `${count(report.tasks, 'task', 'tasks')}: scripts, outcomes and notes`,
    `${count(report.cancelledTouchPoints, 'scheduled touch point', 'scheduled touch points')} cancelled`,
    `${count(erasure.sentCopiesRemoved, 'copy', 'copies')} of messages sent to them removed from the outbox`,
    `${count(erasure.listSubscriptionsRemoved, 'mailing list sign-up', 'mailing list sign-ups')} removed`,
    `${count(report.waitingCopies, 'waiting webhook or Idempotency-Key copy', 'waiting webhook or Idempotency-Key copies')} removed`,
    report.suppressed
      ? 'Their address is on the suppression list, as a hash only: they are never mailed again'
      : 'They had no e-mail address to suppress',
    `${count(report.tombstones, 'identity', 'identities')} (id, address, phone) kept as keyed tombstones: intake refuses them from now on`,
  ];
}

/** The timeline's card for those allowed: the download, and the way to erasure until it happened. */
export function privacySection(input: { customer: Customer; canUse: boolean }): string {
  const { customer, canUse } = input;
  const erasedAt = erasedAtOf(customer);
  const base = timelinePath(customer.id);
  if (!canUse) return '';
  return `<section class="card" aria-labelledby="privacy"><h2 id="privacy">Personal data (GDPR)</h2>
<p><a href="${esc(`${base}/export`)}" download="${esc(exportFileName(customer.id))}">Download everything held about ${erasedAt === null ? 'them' : 'this customer'} (JSON)</a></p>
${erasedAt === null ? `<p><a href="${esc(`${base}/erase`)}">Erase this customer…</a></p>` : ''}
</section>`;
}

function confirmPage(customer: Customer, csrf: string, error: string | null): string {
  const expected = confirmationOf(customer);
  const what = customer.email === null ? 'id' : 'e-mail address';
  return `${error === null ? '' : `<div class="error" role="alert"><p>${esc(error)}</p></div>`}
<section class="card" aria-labelledby="removes"><h2 id="removes">What erasure removes, for good</h2>
<ul>
<li>Contact details and attributes: name, e-mail address, phone, zone, preferences</li>
<li>What their events held (answers, comments, replies), their orders' items, shipments and addresses</li>
<li>Their tasks' scripts and notes, what their concerns said, what channels answered about them</li>
<li>Copies of messages sent to them (the outbox) and their mailing list sign-ups</li>
<li>Touch points and tasks still waiting are cancelled; their programs end</li>
</ul>
<p>What stays: ids, statuses and times (so counts and reports hold), and their address as a hash on the suppression list, so they are never mailed again. It cannot be undone: download their data first if they asked for it.</p>
</section>
<section class="card" aria-labelledby="confirm"><h2 id="confirm">Confirm</h2>
<form method="post" action="${esc(`${timelinePath(customer.id)}/erase`)}">${csrfField(csrf)}
<label for="confirmation">Type the customer's ${what}, <strong>${esc(expected)}</strong>, to confirm</label>
<input id="confirmation" name="confirmation" type="text" required autocomplete="off" spellcheck="false" size="40">
<p><button class="danger" type="submit">Erase this customer</button></p>
</form>
<p><a href="${esc(timelinePath(customer.id))}">Keep them; back to the timeline</a></p>
</section>`;
}

export function privacyActionRoutes(context: DashboardContext): void {
  const { commands, config } = context.deps;

  async function customerOf(request: FastifyRequest): Promise<Customer> {
    const { id } = request.params as { id: string };
    const customer = await commands.customers.get(id);
    if (customer === null) throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such customer.', { id });
    return customer;
  }

  const titleOf = (customer: Customer): string =>
    `Erase ${[customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.email || customer.id}?`;

  context.route('GET', '/customers/:id/export', async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = activeOf(request);
    const { id } = request.params as { id: string };
    const held = await commands.privacy.exportCustomer(id);
    if (held === null) throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such customer.', { id });
    request.log.info({ customer: id, by: user.email }, 'customer data exported');
    return (
      reply
        .header('content-disposition', `attachment; filename="${exportFileName(id)}"`)
        // Personal data: no cache along the way may keep a copy.
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(`${JSON.stringify(presentCustomerExport(held), null, 2)}\n`)
    );
  });

  context.route('GET', '/customers/:id/erase', async (request: FastifyRequest, reply: FastifyReply) => {
    const customer = await customerOf(request);
    const { user } = activeOf(request);
    const erasedAt = erasedAtOf(customer);
    if (erasedAt !== null) {
      return context.send(request, reply, {
        title: 'Already erased',
        body: `<p>This customer was erased on ${esc(timeIn(erasedAt, user.timeZone, true))}; there is nothing left to erase.</p>
<p><a href="${esc(timelinePath(customer.id))}">Back to the timeline</a></p>`,
        current: '/customers',
      });
    }
    return context.send(request, reply, {
      title: titleOf(customer),
      body: confirmPage(customer, reply.generateCsrf(), null),
      current: '/customers',
    });
  });

  context.route('POST', '/customers/:id/erase', async (request: FastifyRequest, reply: FastifyReply) => {
    const customer = await customerOf(request);
    const { user } = activeOf(request);
    const key = timelineFlashKey(customer.id);
    if (erasedAtOf(customer) !== null) {
      setFlash(config, request, reply, key, { tone: 'notice', text: 'This customer was erased already.' });
      return reply.redirect(timelinePath(customer.id), 303);
    }
    const typed = (firstOf(formOf(request.body), 'confirmation') ?? '').trim();
    const expected = confirmationOf(customer);
    if (typed.toLowerCase() !== expected.toLowerCase()) {
      const what = customer.email === null ? 'id' : 'e-mail address';
      const error =
        typed === ''
          ? `Nothing was erased: type the customer's ${what} to confirm.`
          : `Nothing was erased: “${typed.slice(0, 100)}” is not this customer's ${what}.`;
      return context.send(request, reply, {
        title: titleOf(customer),
        body: confirmPage(customer, reply.generateCsrf(), error),
        current: '/customers',
        status: 400,
      });
    }
    const erasure = await commands.privacy.eraseCustomer(customer.id);
    if (!erasure.ok)
      throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such customer.', { id: customer.id });
    // Who erased whom: the customer's own rows cannot say it any more, so the log does.
    request.log.info(
      { customer: customer.id, by: user.email, outboxFilesRemoved: erasure.sentCopiesRemoved },
      'customer erased from the dashboard',
    );
    setFlash(config, request, reply, key, {
      tone: 'notice',
      text: `Erased. Removed for good:`,
      items: erasureLines(erasure),
    });
    return reply.redirect(timelinePath(customer.id), 303);
  });
}
