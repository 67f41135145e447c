// The timeline's actions over real HTTP on loopback: a touch point moved (typed in the user's own
// zone, kept in UTC), cancelled with a note that says who, and sent now, out through a real SMTP
// server by the production dispatcher; refusals that change nothing and say why (a past time, a
// touch point that has gone out, another customer's touch point); the GDPR download, the same
// JSON as the API's; and erasure behind its typed confirmation, with its effects in the store.
// Reps and viewers get 403 on every action, and a form without its CSRF token is refused. On
// SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { outboxFileName } from '../../src/channels/outbox.js';
import { smtpReceiver, type SmtpReceiver } from '../../src/channels/staffServers.test-helpers.js';
import type { TouchPoint } from '../../src/core/domain.js';
import { messageIdFor } from '../../src/engine/message.js';
import { Client, PASSWORD, USERS, openDashboardWorld, type DashboardWorld } from './dashboardWorld.js';
import { postgresSkipReason } from '../reliability/server.js';
import { dispatcherFor } from './harness.js';

const NINA = 'nina@shop.test'; // a manager in New York, while the shop is in London
let w: DashboardWorld;
let smtp: SmtpReceiver;
let serial = 0;

/** A new customer with an order placed now: one touch point (the thank-you) scheduled ahead. */
async function freshCustomer(): Promise<{ customerId: string; email: string; touchPoint: TouchPoint }> {
  serial += 1;
  const customerId = `cus-act-${serial}`;
  const email = `buyer${serial}@example.com`;
  const at = w.t.clock.now();
  await w.t.composed.commands.ingest.events([
    {
      id: `placed-act-${serial}`,
      type: 'order.placed',
      at,
      customerId,
      orderId: `act-${serial}`,
      customer: {
        customerId,
        email,
        firstName: `Buyer${serial}`,
        lastName: 'Tester',
        timezone: 'Europe/London',
      },
      order: { placedAt: at, currency: 'GBP', total: 40, number: `#act-${serial}` },
      data: {},
    },
  ]);
  const [touchPoint] = (await w.t.composed.commands.customers.touchPoints(customerId)) ?? [];
  assert.ok(touchPoint, 'the order planned a touch point');
  assert.equal(touchPoint.status, 'scheduled');
  assert.ok(touchPoint.dueAt > at, 'due ahead');
  return { customerId, email, touchPoint };
}

const timeline = (customerId: string): string => `/dashboard/customers/${encodeURIComponent(customerId)}`;
const action = (tp: TouchPoint, what: 'move' | 'cancel' | 'send-now', customerId = tp.customerId): string =>
  `${timeline(customerId)}/touch-points/${encodeURIComponent(tp.id)}/${what}`;

async function signedIn(email: string): Promise<Client> {
  const client = new Client(w.base);
  assert.equal((await client.signIn(email)).status, 303);
  return client;
}

/** Posts a form of the timeline and follows the redirect back to it: the page's text. */
async function postBack(client: Client, path: string, customerId: string, form: Record<string, string>) {
  const _csrf = await client.csrfFrom(timeline(customerId));
  const response = await client.request('POST', path, { _csrf, ...form });
  assert.equal(response.status, 303, `${path}: ${await response.clone().text()}`);
  assert.equal(response.headers.get('location'), `${timeline(customerId)}#scheduled`);
  return (await client.request('GET', timeline(customerId))).text();
}

const touchPoint = async (id: string): Promise<TouchPoint> => {
  const found = await w.t.composed.commands.touchPoints.get(id);
  assert.ok(found, id);
  return found;
};

before(async () => {
  smtp = await smtpReceiver();
});
after(async () => {
  await smtp?.close();
});

const pgSkip = await postgresSkipReason();

for (const store of ['sqlite', 'postgres'] as const) {
  describe(
    `timeline actions over HTTP (${store})`,
    { skip: store === 'postgres' ? (pgSkip ?? false) : false },
    () => {
      before(async () => {
        w = await openDashboardWorld({ store });
        const nina = await w.t.composed.commands.users.create({
          email: NINA,
          role: 'manager',
          name: 'Nina',
          password: PASSWORD,
          timeZone: 'America/New_York',
        });
        assert.ok(nina.ok);
      });
      after(async () => {
        await w?.close();
      });

      test('move: the time typed in New York is kept in UTC; past and impossible times change nothing', async () => {
        const { customerId, touchPoint: tp } = await freshCustomer();
        const client = await signedIn(NINA);
        const page = await (await client.request('GET', timeline(customerId))).text();
        assert.ok(page.includes(`action="${action(tp, 'move')}"`), 'the move form');
        assert.match(page, /New time \(America\/New_York\)/);

        const moved = await postBack(client, action(tp, 'move'), customerId, { dueAt: '2026-06-10T09:30' });
        // 09:30 in New York in June (EDT, UTC-4) is 13:30 UTC.
        assert.equal((await touchPoint(tp.id)).dueAt, Date.UTC(2026, 5, 10, 13, 30));
        assert.match(
          moved,
          /role="status"><p>Moved reassure · thank-you by email to 2026-06-10 09:30 \(America\/New_York\)\./,
        );
        assert.ok(moved.includes('value="2026-06-10T09:30"'), 'the form shows the new time in her zone');
        const again = await (await client.request('GET', timeline(customerId))).text();
        assert.doesNotMatch(again, /Moved reassure/, 'the notice is shown once');

        // The world's clock says 2026-06-02 12:01 UTC, 08:01 in New York: 08:00 there is past.
        const past = await postBack(client, action(tp, 'move'), customerId, { dueAt: '2026-06-02T08:00' });
        assert.match(
          past,
          /role="alert"><p>Nothing changed: 2026-06-02 08:00 \(America\/New_York\) is in the past \(it is 2026-06-02 08:01 now\)/,
        );
        assert.match(past, /Send now/);
        const impossible = await postBack(client, action(tp, 'move'), customerId, {
          dueAt: '2026-02-30T10:00',
        });
        assert.match(impossible, /Nothing changed: “2026-02-30T10:00” is not a day and a time/);
        const empty = await postBack(client, action(tp, 'move'), customerId, {});
        assert.match(empty, /is not a day and a time/);
        assert.equal(
          (await touchPoint(tp.id)).dueAt,
          Date.UTC(2026, 5, 10, 13, 30),
          'unchanged by the refusals',
        );
      });

      test('cancel: cancelled by hand with the note and who did it; later actions say it is cancelled', async () => {
        const { customerId, touchPoint: tp } = await freshCustomer();
        const client = await signedIn(USERS.owner);
        const page = await postBack(client, action(tp, 'cancel'), customerId, {
          note: '  customer asked us not to ',
        });
        const cancelled = await touchPoint(tp.id);
        assert.equal(cancelled.status, 'cancelled');
        assert.deepEqual(cancelled.reason, {
          code: 'cancelled_by_hand',
          detail: `by ${USERS.owner}: customer asked us not to`,
        });
        assert.match(page, /Cancelled reassure · thank-you by email\./);
        assert.match(page, /touch point cancelled/);
        assert.match(page, /cancelled_by_hand: by olivia@shop\.test: customer asked us not to/);
        assert.ok(!page.includes(action(tp, 'send-now')), 'no forms for a touch point that is not scheduled');

        // A page opened before the cancel still posts: each answer says what it is now, not a 500.
        for (const [what, form] of [
          ['move', { dueAt: '2026-07-01T10:00' }],
          ['cancel', { note: 'again' }],
          ['send-now', {}],
        ] as const) {
          const text = await postBack(client, action(tp, what), customerId, form);
          assert.match(
            text,
            /role="alert"><p>Nothing changed: reassure · thank-you by email is cancelled already \(cancelled_by_hand\) on 2026-06-02 13:01 \(Europe\/London\)\./,
            what,
          );
        }
        assert.deepEqual(await touchPoint(tp.id), cancelled, 'nothing changed');
        const long = await postBack(
          client,
          action((await freshCustomer()).touchPoint, 'cancel'),
          `cus-act-${serial}`,
          {
            note: 'x'.repeat(501),
          },
        );
        assert.match(long, /Nothing changed: the note has 501 characters; at most 500 are kept\./);
        assert.equal(
          (await w.t.composed.commands.customers.touchPoints(`cus-act-${serial}`))![0]!.status,
          'scheduled',
        );
      });

      test('send now: due at once, and the dispatcher sends it through SMTP', async () => {
        const { customerId, email, touchPoint: tp } = await freshCustomer();
        const client = await signedIn(USERS.manager);
        const wakeUps = w.t.wakeUps;
        const page = await postBack(client, action(tp, 'send-now'), customerId, {});
        assert.match(page, /reassure · thank-you by email is due now and goes out with the next send/);
        assert.match(page, /<strong>due now<\/strong>: it goes out with the next send/);
        // The move form offers the next minute at the earliest (13:01 in London now).
        assert.ok(page.includes('value="2026-06-02T13:02" min="2026-06-02T13:02"'), 'move: no past default');
        const due = await touchPoint(tp.id);
        assert.equal(due.dueAt, w.t.clock.now());
        assert.equal(due.status, 'scheduled');
        assert.ok(w.t.wakeUps > wakeUps, 'the dispatcher was woken');

        const { dispatcher, channels } = dispatcherFor(w.t, smtp.url);
        try {
          await dispatcher.runUntilIdle();
        } finally {
          await channels.close();
        }
        const sent = await touchPoint(tp.id);
        assert.equal(sent.status, 'sent');
        const mine = smtp.mails.filter((m) => m.to.includes(email));
        assert.equal(mine.length, 1, 'one message arrived for them');
        const mail = mine[0]!.parsed;
        assert.equal(mail.messageId, messageIdFor(tp.id, w.t.config.business.fromEmail.split('@')[1]!));
        assert.match(mail.text ?? '', new RegExp(`Buyer${serial}`));

        const late = await postBack(client, action(tp, 'send-now'), customerId, {});
        assert.match(late, /Nothing changed: reassure · thank-you by email is sent already on /);
      });

      test("another customer's touch point, or none, is refused and left alone", async () => {
        const one = await freshCustomer();
        const two = await freshCustomer();
        const client = await signedIn(USERS.owner);
        const _csrf = await client.csrfFrom(timeline(two.customerId));
        for (const what of ['move', 'cancel', 'send-now'] as const) {
          const wrong = await client.request('POST', action(one.touchPoint, what, two.customerId), {
            _csrf,
            dueAt: '2026-07-01T10:00',
          });
          assert.equal(wrong.status, 404, what);
          assert.match(await wrong.text(), /This customer has no such touch point\./);
          const none = await client.request(
            'POST',
            `${timeline(two.customerId)}/touch-points/no-such/${what}`,
            {
              _csrf,
            },
          );
          assert.equal(none.status, 404);
        }
        assert.deepEqual(await touchPoint(one.touchPoint.id), one.touchPoint);
      });

      test('reps and viewers: no forms on the timeline, and 403 on every action; no CSRF token: 403', async () => {
        const { customerId, touchPoint: tp } = await freshCustomer();
        const posts = [
          [action(tp, 'move'), { dueAt: '2026-07-01T10:00' }],
          [action(tp, 'cancel'), { note: 'no' }],
          [action(tp, 'send-now'), {}],
          [`${timeline(customerId)}/erase`, { confirmation: `buyer${serial}@example.com` }],
        ] as const;
        for (const role of ['rep', 'viewer'] as const) {
          const client = await signedIn(USERS[role]);
          const page = await (await client.request('GET', timeline(customerId))).text();
          assert.match(page, /Scheduled touch points/);
          assert.ok(!page.includes(action(tp, 'move')), `${role}: no move form`);
          assert.doesNotMatch(page, /Erase this customer|Download everything held/);
          const _csrf = await client.csrfFrom(timeline(customerId));
          for (const [path, form] of posts) {
            const refused = await client.request('POST', path, { _csrf, ...form });
            assert.equal(refused.status, 403, `${role} POST ${path}`);
          }
          for (const path of [`${timeline(customerId)}/export`, `${timeline(customerId)}/erase`]) {
            assert.equal((await client.request('GET', path)).status, 403, `${role} GET ${path}`);
          }
        }
        const manager = await signedIn(USERS.manager);
        for (const [path, form] of posts) {
          const refused = await manager.request('POST', path, form);
          assert.equal(refused.status, 403, `no CSRF: ${path}`);
          assert.match(await refused.text(), /This form has expired/);
        }
        assert.deepEqual(await touchPoint(tp.id), tp, 'nothing changed');
        assert.equal(
          (await w.t.composed.commands.customers.get(customerId))?.email,
          `buyer${serial}@example.com`,
        );
      });

      test('GDPR export: a download of the same JSON the API exports', async () => {
        const { customerId, email } = await freshCustomer();
        const client = await signedIn(USERS.manager);
        const page = await (await client.request('GET', timeline(customerId))).text();
        assert.ok(page.includes(`href="${timeline(customerId)}/export"`), 'the timeline links the download');
        const response = await client.request('GET', `${timeline(customerId)}/export`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(
          response.headers.get('content-disposition'),
          `attachment; filename="customer-${customerId}-export.json"`,
        );
        assert.equal(response.headers.get('cache-control'), 'no-store');
        const held = (await response.json()) as {
          customer: { id: string; email: string };
          orders: { id: string }[];
          touchPoints: { id: string }[];
        };
        assert.equal(held.customer.id, customerId);
        assert.equal(held.customer.email, email);
        assert.deepEqual(
          held.orders.map((o) => o.id),
          [`act-${serial}`],
        );
        assert.equal(held.touchPoints.length, 1);
        const api = await w.t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/export` });
        assert.equal(api.statusCode, 200);
        assert.deepEqual(held, api.json(), 'the same JSON as the API');
        assert.equal((await client.request('GET', `${timeline('no-such-customer')}/export`)).status, 404);
      });

      test('erasure: only with the address typed; then gone from the store, the outbox and the timeline', async () => {
        const { customerId, email, touchPoint: tp } = await freshCustomer();
        // Something was sent to them (a copy in the outbox) and something else waits.
        await w.t.composed.commands.touchPoints.sendNow(tp.id);
        const { dispatcher, channels } = dispatcherFor(w.t);
        try {
          await dispatcher.runUntilIdle();
        } finally {
          await channels.close();
        }
        const copy = join(w.t.config.outboxDir, outboxFileName(tp.id));
        assert.ok(existsSync(copy), 'a copy of the thank-you is in the outbox');
        await w.t.composed.commands.ingest.events([
          {
            id: `helpdesk-act-${serial}`,
            type: 'concern.raised',
            at: w.t.clock.now(),
            customerId,
            orderId: `act-${serial}`,
            data: { severity: 'high', summary: 'the box was crushed' },
          },
        ]);
        await w.t.composed.listener.hearPending();

        const client = await signedIn(USERS.owner);
        const timelinePage = await (await client.request('GET', timeline(customerId))).text();
        assert.ok(
          timelinePage.includes(`href="${timeline(customerId)}/erase"`),
          'the timeline links the erasure',
        );
        const confirm = await (await client.request('GET', `${timeline(customerId)}/erase`)).text();
        assert.match(confirm, /What erasure removes, for good/);
        assert.ok(confirm.includes(`<strong>${email}</strong>`), 'the address to type is shown');
        const _csrf = /name="_csrf" value="([^"]+)"/.exec(confirm)![1]!;

        for (const typed of ['', 'buyer@example.com', customerId]) {
          const refused = await client.request('POST', `${timeline(customerId)}/erase`, {
            _csrf,
            confirmation: typed,
          });
          assert.equal(refused.status, 400, `typed ${typed}`);
          const text = await refused.text();
          assert.match(text, /role="alert"><p>Nothing was erased: /);
          assert.match(
            text,
            typed === ''
              ? /type the customer&#39;s e-mail address/
              : /is not this customer&#39;s e-mail address/,
          );
        }
        assert.equal((await w.t.composed.commands.customers.get(customerId))?.email, email, 'not erased');

        const erased = await client.request('POST', `${timeline(customerId)}/erase`, {
          _csrf,
          confirmation: `  ${email.toUpperCase()} `,
        });
        assert.equal(erased.status, 303);
        assert.equal(erased.headers.get('location'), timeline(customerId));
        const after = await (await client.request('GET', timeline(customerId))).text();
        assert.match(after, /Erased\. Removed for good:/);
        assert.match(after, /<li>1 order: items, shipments/);
        assert.match(after, /<li>1 copy of messages sent to them removed from the outbox<\/li>/);
        assert.match(after, /<li>Their address is on the suppression list, as a hash only/);
        assert.match(after, /<strong>Erased<\/strong> on 2026-06-02 13:01 \(Europe\/London\)/);
        assert.ok(!after.includes(email), 'the address is gone from the page');
        assert.doesNotMatch(after, /the box was crushed|Buyer\d/);
        assert.ok(!after.includes(`${timeline(customerId)}/erase`), 'nothing left to erase');

        // In the store: no contact details, the concern's words gone, the copy gone, the export empty.
        const customer = await w.t.composed.commands.customers.get(customerId);
        assert.equal(customer?.email, null);
        assert.equal(customer?.firstName, null);
        assert.deepEqual(customer?.attributes, { erased_at: w.t.clock.now() });
        assert.ok(!existsSync(copy), 'the outbox copy is removed');
        const [concern] = await w.t.composed.commands.concerns.list({ customerId, limit: 10 });
        assert.equal(concern?.summary, '');
        const held = await (await client.request('GET', `${timeline(customerId)}/export`)).text();
        assert.ok(!held.includes(email) && !held.includes('crushed'), 'the export holds nothing personal');
        assert.ok(
          (await w.t.store.consent.suppressed([email])).size === 1,
          'the address is suppressed (hashed)',
        );
        const viewer = await (
          await (await signedIn(USERS.viewer)).request('GET', timeline(customerId))
        ).text();
        assert.match(
          viewer,
          /<strong>Erased<\/strong> on 2026-06-02 13:01 \(Europe\/London\): their personal data is gone/,
        );
        assert.doesNotMatch(viewer, /Personal data \(GDPR\)/, 'no GDPR card for a viewer');
        const page = await (await client.request('GET', `${timeline(customerId)}/erase`)).text();
        assert.match(page, /Already erased/);
        const again = await client.request('POST', `${timeline(customerId)}/erase`, {
          _csrf,
          confirmation: email,
        });
        assert.equal(again.status, 303);
        assert.match(await (await client.request('GET', timeline(customerId))).text(), /erased already/);
      });
    },
  );
}
