// The dashboard over real HTTP on loopback: signing in through the form (CSRF, rate limits,
// cookie flags), every route of the table in src/http/dashboard/routes.ts for every role (the
// pages a role may see answer 200, the others 403), forms refused without their CSRF token,
// a task worked to its outcome, and signing out here and everywhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROLES, may } from '../../src/core/roles.js';
import { DASHBOARD_ROUTES } from '../../src/http/dashboard/routes.js';
import { ADA_ID, Client, USERS, openDashboardWorld, sendDue, type DashboardWorld } from './dashboardWorld.js';
import { DAY, T0 } from './harness.js';

let w: DashboardWorld;
/** A message the world sent (the outbox's preview). */
let sentId: string;

describe('dashboard over HTTP', () => {
  before(async () => {
    w = await openDashboardWorld();
    w.t.clock.set(T0 + 2 * DAY);
    [sentId = ''] = await sendDue(w);
    if (sentId === '') throw new Error('the world sent nothing for the outbox to show');
  });
  after(async () => {
    await w?.close();
  });

  test('signing in sets an HttpOnly, SameSite=Lax session cookie scoped to the dashboard', async () => {
    const client = new Client(w.base);
    const _csrf = await client.csrfFrom('/dashboard/login');
    const response = await client.request('POST', '/dashboard/login', {
      _csrf,
      email: USERS.owner,
      password: 'correct horse battery staple',
      next: '/dashboard/overview',
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/dashboard/overview');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('aftercare_session='));
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\/dashboard/);
    assert.doesNotMatch(cookie, /Secure/, 'plain http on loopback: not Secure (auto)');
    // Only the hash of the token is stored.
    const token = client.cookie('aftercare_session')!;
    assert.equal(await w.t.store.users.getSession(token), null);
  });

  test('a wrong password, an unknown address and a missing CSRF token are refused', async () => {
    const client = new Client(w.base);
    const wrong = await client.signIn(USERS.rep, 'not the password at all');
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /do not match an active user/);
    const unknown = await client.signIn('nobody@shop.test');
    assert.equal(unknown.status, 401);
    const noToken = await client.request('POST', '/dashboard/login', { email: USERS.rep, password: 'x' });
    assert.equal(noToken.status, 403);
    assert.equal(client.cookie('aftercare_session'), undefined);
  });

  test('an open redirect is not possible through next', async () => {
    const client = new Client(w.base);
    const _csrf = await client.csrfFrom('/dashboard/login');
    const response = await client.request('POST', '/dashboard/login', {
      _csrf,
      email: USERS.viewer,
      password: 'correct horse battery staple',
      next: 'https://evil.example/',
    });
    assert.equal(response.headers.get('location'), '/dashboard/');
  });

  test('without a session, pages ask to sign in and forms are 401', async () => {
    const client = new Client(w.base);
    const page = await client.request('GET', '/dashboard/inbox');
    assert.equal(page.status, 303);
    assert.equal(
      page.headers.get('location'),
      `/dashboard/login?next=${encodeURIComponent('/dashboard/inbox')}`,
    );
    const form = await client.request('POST', `/dashboard/tasks/${encodeURIComponent(w.taskId)}/outcome`, {
      outcome: 'reached',
    });
    assert.equal(form.status, 401);
  });

  for (const role of ROLES) {
    test(`${role}: every route answers as the role table says`, async () => {
      const client = new Client(w.base);
      assert.equal((await client.signIn(USERS[role])).status, 303);
      const paths: Record<string, string> = {
        '/tasks/:id': `/tasks/${encodeURIComponent(w.taskId)}`,
        '/tasks/:id/outcome': `/tasks/${encodeURIComponent('no-such-task')}/outcome`,
        '/customers/:id': `/customers/${ADA_ID}`,
        '/outbox/:id': `/outbox/${encodeURIComponent(sentId)}`,
        '/settings/api-keys/:id/revoke': '/settings/api-keys/no-such-key/revoke',
        '/settings/users/:id/disable': '/settings/users/no-such-user/disable',
        '/effectiveness/actions/:id/done': '/effectiveness/actions/999999/done',
        '/customers/:id/export': `/customers/${ADA_ID}/export`,
        'GET /customers/:id/erase': `/customers/${ADA_ID}/erase`,
        'POST /customers/:id/erase': '/customers/no-such-customer/erase',
        '/customers/:id/touch-points/:touchPointId/move':
          '/customers/no-such-customer/touch-points/no-such/move',
        '/customers/:id/touch-points/:touchPointId/cancel':
          '/customers/no-such-customer/touch-points/no-such/cancel',
        '/customers/:id/touch-points/:touchPointId/send-now':
          '/customers/no-such-customer/touch-points/no-such/send-now',
        '/playbooks/:name': '/playbooks/reassure',
        '/playbooks/:name/versions': '/playbooks/reassure/versions',
      };
      // Each form posted with nothing it can act on: allowed, and refused for that reason (a task,
      // customer or touch point that does not exist: 404; an incomplete form, no YAML to check,
      // no day to simulate: 400).
      const posted: Record<string, number> = {
        '/effectiveness/actions': 400,
        '/playbooks/validate': 400,
        '/playbooks/simulate': 400,
        '/settings/api-keys': 400,
        '/settings/users': 400,
      };
      for (const route of DASHBOARD_ROUTES) {
        if (route.path.startsWith('/sign-out')) continue;
        const path = `/dashboard${paths[`${route.method} ${route.path}`] ?? paths[route.path] ?? route.path}`;
        const allowed = route.permission === null || may(role, route.permission);
        let status: number;
        if (route.method === 'GET') {
          status = (await client.request('GET', path)).status;
        } else {
          const _csrf = await client.csrfFrom('/dashboard/customers');
          status = (await client.request('POST', path, { _csrf, outcome: 'reached', days: '0' })).status;
        }
        if (allowed) {
          const expected =
            route.method === 'POST' ? (posted[route.path] ?? 404) : route.path === '/' ? 303 : 200;
          assert.equal(status, expected, `${role} ${route.method} ${path}`);
        } else {
          assert.equal(status, 403, `${role} ${route.method} ${path}`);
        }
      }
    });
  }

  test("a rep's inbox shows the deals they own with the meetings proposed, not other reps' deals", async () => {
    const { deals } = w.t.composed.commands;
    const input = (company: string, owner: string, email: string) => ({
      company,
      contact: { email, name: 'Kim Osei', timeZone: 'Europe/London' },
      owner,
      expectedCloseAt: T0 + 10 * DAY,
      value: { amount: 24_000, currency: 'GBP' },
      segment: 'b2b' as const,
      kind: 'software' as const,
      products: ['Fleet'],
    });
    const mine = await deals.upsert(input('Fabrikam Ltd', USERS.rep, 'kim@fabrikam.example'));
    await deals.upsert(input('Contoso plc', USERS.manager, 'lee@contoso.example'));
    assert.ok(mine.deal.meetings.length > 0, 'a B2B deal has proposed meetings');
    const client = new Client(w.base);
    assert.equal((await client.signIn(USERS.rep)).status, 303);
    const inbox = await (await client.request('GET', '/dashboard/inbox')).text();
    const section = inbox.slice(inbox.indexOf('id="deals"'));
    assert.match(section, /Fabrikam Ltd/);
    assert.match(section, /kim@fabrikam\.example/);
    assert.doesNotMatch(section, /Contoso/);
    const objective = mine.deal.meetings[0]!.objective;
    assert.ok(section.includes(objective.replace(/&/g, '&amp;').slice(0, 30)), objective);
  });

  test('a rep works a task: outcome in one post, recorded on the timeline with who did it', async () => {
    const client = new Client(w.base);
    await client.signIn(USERS.rep);
    const inbox = await (await client.request('GET', '/dashboard/inbox')).text();
    assert.match(inbox, /lamp arrived with a cracked shade|Open tasks/);
    const path = `/dashboard/tasks/${encodeURIComponent(w.taskId)}`;
    const page = await (await client.request('GET', path)).text();
    assert.match(page, /cracked shade/, 'the open concern is in the context');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const noCsrf = await client.request('POST', `${path}/outcome`, { outcome: 'reached' });
    assert.equal(noCsrf.status, 403);
    const done = await client.request('POST', `${path}/outcome`, {
      _csrf,
      outcome: 'resolved',
      notes: 'new shade sent',
    });
    assert.equal(done.status, 303);
    const task = await w.t.composed.commands.tasks.get(w.taskId);
    assert.equal(task?.status, 'done');
    assert.equal(task?.outcome, 'resolved');
    assert.equal(task?.owner, USERS.rep);
    const timeline = await (await client.request('GET', `/dashboard/customers/${ADA_ID}`)).text();
    assert.match(timeline, /task\.completed/);
    assert.match(timeline, /new shade sent/);
    const again = await client.request('POST', `${path}/outcome`, { _csrf, outcome: 'reached' });
    assert.equal(again.status, 409);
  });

  test('customer search pages by address, a keyset page at a time', async () => {
    const client = new Client(w.base);
    await client.signIn(USERS.viewer);
    const found = await (await client.request('GET', '/dashboard/customers?q=GRACE')).text();
    assert.match(found, /grace\.hopper@example\.com/);
    assert.doesNotMatch(found, /ada\.lovelace/);
    const first = await (await client.request('GET', '/dashboard/customers')).text();
    assert.match(first, /ada\.lovelace/);
    const bad = await client.request('GET', '/dashboard/customers?after=garbage');
    assert.equal(bad.status, 400);
  });

  test('customer search by name: the start of the name, any case, accents folded; a result opens', async () => {
    const client = new Client(w.base);
    await client.signIn(USERS.viewer);
    const page = await client.request('GET', '/dashboard/customers?by=name&q=GR%C3%81CE%20t');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Names starting with “GRÁCE t”/);
    assert.match(html, /<option value="name" selected>/);
    assert.match(html, /grace\.hopper@example\.com/);
    assert.doesNotMatch(html, /ada\.lovelace/);
    const link = /href="(\/dashboard\/customers\/cus-[^"]+)"/.exec(html)?.[1];
    assert.equal(link, '/dashboard/customers/cus-grace');
    assert.equal((await client.request('GET', link)).status, 200);
    // A name is not an address: by e-mail the same text finds nobody.
    const byEmail = await client.request('GET', '/dashboard/customers?by=email&q=grace%20t');
    assert.match(await byEmail.text(), /No customer found/);
    const unknownBy = await client.request('GET', '/dashboard/customers?by=phone&q=1');
    assert.equal(unknownBy.status, 400);
  });

  test('sign out ends this session; sign out everywhere ends them all', async () => {
    const one = new Client(w.base);
    const two = new Client(w.base);
    await one.signIn(USERS.manager);
    await two.signIn(USERS.manager);
    assert.equal((await two.request('GET', '/dashboard/overview')).status, 200);
    const _csrf = await one.csrfFrom('/dashboard/overview');
    const out = await one.request('POST', '/dashboard/sign-out-everywhere', { _csrf });
    assert.equal(out.status, 303);
    assert.equal(
      (await two.request('GET', '/dashboard/overview')).status,
      303,
      'the other browser is signed out',
    );
    assert.equal((await one.request('GET', '/dashboard/overview')).status, 303);
  });

  test('a disabled user is signed out at once and cannot sign in', async () => {
    const client = new Client(w.base);
    await client.signIn(USERS.viewer);
    assert.equal((await client.request('GET', '/dashboard/overview')).status, 200);
    await w.t.composed.commands.users.disable(USERS.viewer);
    assert.equal((await client.request('GET', '/dashboard/overview')).status, 303);
    assert.equal((await client.signIn(USERS.viewer)).status, 401);
  });

  test('too many failed sign-ins for one account are refused with 429, even with the right password', async () => {
    const client = new Client(w.base);
    for (let i = 0; i < 5; i += 1)
      assert.equal((await client.signIn(USERS.owner, 'wrong password!')).status, 401);
    const limited = await client.signIn(USERS.owner);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });
});
