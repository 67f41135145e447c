// The dashboard's settings over real HTTP, for an owner: the running configuration with the
// variable behind each setting and never a secret (every integration configured with secrets
// here); an API key created in the form works against /api/v1 and stops working once revoked;
// a user created with a generated password signs in with it; bad input comes back next to its
// field; an owner cannot disable themselves; forms need their CSRF token.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, USERS, openDashboardWorld, type DashboardWorld } from './dashboardWorld.js';

const SECRETS = {
  SMTP_URL: 'smtp://mailer:smtp-pass-0123456789@mail.shop.test:2525',
  SHOPIFY_WEBHOOK_SECRET: 'shopify-secret-0123456789',
  STRIPE_WEBHOOK_SECRET: 'whsec_stripesecret0123456789',
  TRACKING_WEBHOOK_SECRET: 'tracking-secret-0123456789',
  AFTERCARE_SMS_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  AFTERCARE_SMS_AUTH_TOKEN: 'sms-auth-token-0123456789',
  AFTERCARE_SMS_FROM: '+442079460000',
  AFTERCARE_HUBSPOT_CLIENT_SECRET: 'hubspot-secret-0123456789',
  AFTERCARE_PIPEDRIVE_WEBHOOK_USER: 'pipedrive',
  AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD: 'pipedrive-pass-0123456789',
  AFTERCARE_POSTMARK_INBOUND_USER: 'postmark',
  AFTERCARE_POSTMARK_INBOUND_PASSWORD: 'postmark-pass-0123456789',
  AFTERCARE_MAILGUN_SIGNING_KEY: 'mailgun-key-0123456789',
  AFTERCARE_SENDGRID_INBOUND_TOKEN: 'sendgridtoken0123456789abcdef',
  AFTERCARE_SECRET: 'link-secret-0123456789-0123456789-0123456789',
};
/** The secret parts: none may appear on the page. */
const NEVER_SHOWN = [
  'smtp-pass-0123456789',
  'mailer:',
  SECRETS.SHOPIFY_WEBHOOK_SECRET,
  SECRETS.STRIPE_WEBHOOK_SECRET,
  SECRETS.TRACKING_WEBHOOK_SECRET,
  SECRETS.AFTERCARE_SMS_AUTH_TOKEN,
  SECRETS.AFTERCARE_SMS_ACCOUNT_SID,
  SECRETS.AFTERCARE_HUBSPOT_CLIENT_SECRET,
  SECRETS.AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD,
  SECRETS.AFTERCARE_POSTMARK_INBOUND_PASSWORD,
  SECRETS.AFTERCARE_MAILGUN_SIGNING_KEY,
  SECRETS.AFTERCARE_SENDGRID_INBOUND_TOKEN,
  SECRETS.AFTERCARE_SECRET,
];

let w: DashboardWorld;

async function owner(): Promise<Client> {
  const client = new Client(w.base);
  assert.equal((await client.signIn(USERS.owner)).status, 303);
  return client;
}

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, 'a CSRF token');
  return token;
}

/** The error shown next to a field: the paragraph the field's aria-describedby names. */
function errorFor(html: string, field: string): string | undefined {
  return new RegExp(`<p class="error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];
}

function api(path: string, key: string): Promise<Response> {
  return fetch(`${w.base}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
}

before(async () => {
  w = await openDashboardWorld({ env: SECRETS });
});
after(async () => {
  await w?.close();
});

describe('dashboard settings', () => {
  test('the settings show each value with its variable, integrations configured, and no secret', async () => {
    const client = await owner();
    const response = await client.request('GET', '/dashboard/settings');
    assert.equal(response.status, 200);
    const html = await response.text();
    for (const secret of NEVER_SHOWN) assert.ok(!html.includes(secret), `${secret} is not on the page`);
    assert.match(html, /configured: smtp:\/\/mail\.shop\.test:2525/);
    assert.match(html, /<code>SMTP_URL<\/code>/);
    assert.match(html, /Quiet hours[^<]*<\/td><td>20:00–09:00<\/td><td><code>AFTERCARE_QUIET_HOURS<\/code>/);
    assert.match(html, /at most 3 per 1w<\/td><td><code>AFTERCARE_FREQUENCY_CAP<\/code>/);
    assert.match(html, /<td>0%<\/td><td><code>AFTERCARE_HOLDOUT<\/code>/);
    assert.match(html, /Europe\/London<\/td><td><code>AFTERCARE_TIMEZONE<\/code>/);
    for (const path of [
      '/webhooks/shopify',
      '/webhooks/stripe',
      '/webhooks/hubspot',
      '/webhooks/inbound/postmark',
    ])
      assert.ok(html.includes(path), path);
    assert.match(html, /configured: https:\/\/api\.twilio\.com, from \+442079460000/);
    assert.match(html, /Replies inbox: SMTP listener<\/td><td>not configured/);
  });

  test('an API key made in the form works against /api/v1 until it is revoked in the form', async () => {
    const client = await owner();
    const _csrf = csrfOf(await (await client.request('GET', '/dashboard/settings')).text());
    const created = await client.request('POST', '/dashboard/settings/api-keys', {
      _csrf,
      name: 'warehouse sync',
      scopes: 'read',
    });
    assert.equal(created.status, 201);
    const page = await created.text();
    assert.match(page, /shown only this once/);
    const key = /id="new-key" readonly size="60" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(key !== undefined && key.startsWith('ak_'), 'the key is shown');
    assert.equal((await api('/playbooks', key)).status, 200);
    // Listed without the key, the next time the page is read.
    const listed = await (await client.request('GET', '/dashboard/settings')).text();
    assert.ok(!listed.includes(key), 'shown once only');
    const id = (await w.t.composed.commands.apiKeys.list()).find((k) => k.name === 'warehouse sync')!.id;
    assert.match(listed, new RegExp(`action="/dashboard/settings/api-keys/${id}/revoke"`));
    const revoked = await client.request('POST', `/dashboard/settings/api-keys/${id}/revoke`, {
      _csrf: csrfOf(listed),
    });
    assert.equal(revoked.status, 303);
    const after = await (await client.request('GET', revoked.headers.get('location')!)).text();
    assert.match(after, /Key warehouse sync revoked/);
    assert.equal((await api('/playbooks', key)).status, 401);
  });

  test('a bad API key form comes back with the problem next to the field', async () => {
    const client = await owner();
    const _csrf = csrfOf(await (await client.request('GET', '/dashboard/settings')).text());
    const noName = await client.request('POST', '/dashboard/settings/api-keys', {
      _csrf,
      name: '',
      scopes: 'read',
    });
    assert.equal(noName.status, 400);
    const page = await noName.text();
    assert.match(errorFor(page, 'name') ?? '', /Give a name/);
    assert.match(page, /id="key-name"[^>]*aria-invalid="true"/);
    const past = await client.request('POST', '/dashboard/settings/api-keys', {
      _csrf,
      name: 'old',
      scopes: 'read',
      expires: '2020-01-01',
    });
    assert.match(errorFor(await past.text(), 'expires') ?? '', /after today/);
    const badScope = await client.request('POST', '/dashboard/settings/api-keys', {
      _csrf,
      name: 'bad',
      scopes: 'everything',
    });
    const badPage = await badScope.text();
    assert.match(errorFor(badPage, 'scopes') ?? '', /“everything” is not a scope/);
    assert.match(badPage, /value="bad"/, 'what was typed is kept');
    const noToken = await client.request('POST', '/dashboard/settings/api-keys', {
      name: 'x',
      scopes: 'read',
    });
    assert.equal(noToken.status, 403);
  });

  test('a user made in the form signs in with the password shown once', async () => {
    const client = await owner();
    const _csrf = csrfOf(await (await client.request('GET', '/dashboard/settings')).text());
    const created = await client.request('POST', '/dashboard/settings/users', {
      _csrf,
      email: 'nina@shop.test',
      role: 'rep',
      name: 'Nina',
      zone: 'Europe/Berlin',
    });
    assert.equal(created.status, 201);
    const page = await created.text();
    const password = /id="new-password" readonly size="40" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(password !== undefined && password.length >= 12, 'a generated password is shown');
    const nina = new Client(w.base);
    assert.equal((await nina.signIn('nina@shop.test', password)).status, 303);
    assert.equal((await nina.request('GET', '/dashboard/inbox')).status, 200);
    assert.equal((await nina.request('GET', '/dashboard/settings')).status, 403, 'a rep has no settings');
    const user = (await w.t.composed.commands.users.list()).find((u) => u.email === 'nina@shop.test');
    assert.equal(user?.timeZone, 'Europe/Berlin');
    assert.equal(user?.role, 'rep');

    const listed = await (await client.request('GET', '/dashboard/settings')).text();
    assert.ok(!listed.includes(password), 'shown once only');
    const disabled = await client.request('POST', `/dashboard/settings/users/${user.id}/disable`, {
      _csrf: csrfOf(listed),
    });
    assert.equal(disabled.status, 303);
    assert.match(
      await (await client.request('GET', disabled.headers.get('location')!)).text(),
      /nina@shop\.test is disabled/,
    );
    assert.equal((await nina.request('GET', '/dashboard/inbox')).status, 303, 'signed out at once');
  });

  test('a bad user form names the field; an owner cannot disable themselves', async () => {
    const client = await owner();
    const _csrf = csrfOf(await (await client.request('GET', '/dashboard/settings')).text());
    const post = (form: Record<string, string>) =>
      client.request('POST', '/dashboard/settings/users', { _csrf, role: 'viewer', ...form });
    const badZone = await post({ email: 'zed@shop.test', zone: 'Mars/Olympus' });
    assert.equal(badZone.status, 400);
    const zonePage = await badZone.text();
    assert.match(errorFor(zonePage, 'zone') ?? '', /not an IANA time zone/);
    assert.match(zonePage, /value="zed@shop\.test"/);
    assert.match(
      errorFor(await (await post({ email: 'not an address' })).text(), 'email') ?? '',
      /is not one e-mail/,
    );
    assert.match(
      errorFor(await (await post({ email: USERS.manager })).text(), 'email') ?? '',
      /exists already/,
    );
    assert.match(
      errorFor(await (await post({ email: 'r@shop.test', role: 'admin' })).text(), 'role') ?? '',
      /must be one of owner, manager, rep, viewer/,
    );

    const me = (await w.t.composed.commands.users.list()).find((u) => u.email === USERS.owner)!;
    const page = await (await client.request('GET', '/dashboard/settings')).text();
    assert.ok(!page.includes(`/settings/users/${me.id}/disable`), 'no button to disable yourself');
    const self = await client.request('POST', `/dashboard/settings/users/${me.id}/disable`, { _csrf });
    assert.equal(self.status, 409);
    assert.match(await self.text(), /cannot disable yourself/);
    assert.equal((await client.request('GET', '/dashboard/settings')).status, 200, 'still signed in');
  });
});
