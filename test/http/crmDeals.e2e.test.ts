// CRM webhooks reach the deals, over real HTTP with the wiring `serve` uses: a rep creates the
// deal with the CRM's id, Pipedrive reports it won and then deleted, HubSpot reports another
// deal lost; a change about a deal we do not know (HubSpot sends only the stage) changes
// nothing; a replayed delivery, or a late change to a lost deal, changes nothing more.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signHubSpotV3 } from '../../src/integrations/crm/hubspot/signature.js';
import { pipedriveAuthorization } from '../../src/integrations/crm/pipedrive/auth.js';
import { DAY, T0, openTestApp, type TestApp } from './harness.js';

const HUBSPOT_SECRET = '0b7e4c1d-5a26-4f83-9c1e-7d2a6b5f8e30';
const PD_USER = 'aftercare-deals';
const PD_PASSWORD = 'pd-hook-8f2c0a7e91d4';
const PUBLIC_URL = 'https://care.lumen.example';

let t: TestApp;
let base: string;

before(async () => {
  t = await openTestApp({
    AFTERCARE_PUBLIC_URL: PUBLIC_URL,
    AFTERCARE_HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET,
    AFTERCARE_PIPEDRIVE_WEBHOOK_USER: PD_USER,
    AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD: PD_PASSWORD,
  });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await t.close();
});

interface DealJson {
  id: string;
  stage: string;
  company: string;
  expectedCloseAt: string;
  value: { amount: number; currency: string };
}

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: DealJson }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...t.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as DealJson };
}

const dealFor = (source: string, externalId: string, company: string) => ({
  source,
  externalId,
  company,
  contact: { email: `buyer@${company.toLowerCase().replace(/\W+/g, '')}.example`, name: 'Kim Osei' },
  owner: 'sam',
  expectedCloseAt: new Date(T0 + 20 * DAY).toISOString(),
  value: { amount: 48_000, currency: 'EUR' },
  segment: 'b2b',
  kind: 'software',
  products: ['Support seats'],
});

function pipedriveChange(id: number, action: string, status: string, extra: Record<string, unknown> = {}) {
  const at = new Date(t.clock.now()).toISOString();
  const deal = {
    id,
    title: 'Northwind Traders: 40 support seats',
    value: 48000,
    currency: 'EUR',
    status,
    stage_id: 3,
    pipeline_id: 1,
    person_id: 912,
    org_id: 377,
    expected_close_date: '2026-07-15',
    update_time: at,
    ...extra,
  };
  return JSON.stringify({
    data: action === 'delete' ? null : deal,
    previous: action === 'delete' ? deal : null,
    meta: {
      action,
      company_id: '13094471',
      entity_id: String(id),
      entity: 'deal',
      id: `${id}-${action}-${status}`,
      timestamp: at,
      version: '2.0',
      webhook_id: '1187344',
      attempt: 1,
    },
  });
}

async function postPipedrive(body: string): Promise<number> {
  const response = await fetch(`${base}/webhooks/pipedrive`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: pipedriveAuthorization(PD_USER, PD_PASSWORD),
    },
    body,
  });
  return response.status;
}

async function postHubSpot(events: unknown[]): Promise<number> {
  const body = JSON.stringify(events);
  // HubSpot signs the URL it calls: AFTERCARE_PUBLIC_URL and the route.
  const headers = signHubSpotV3(body, HUBSPOT_SECRET, `${PUBLIC_URL}/webhooks/hubspot`, t.clock.now());
  const response = await fetch(`${base}/webhooks/hubspot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return response.status;
}

/** Polls until the deal is at `stage` (the inbox drain applies deliveries after the answer). */
async function stageOf(id: string, stage: string): Promise<DealJson> {
  const until = Date.now() + 10_000;
  for (;;) {
    const got = await api('GET', `/deals/${encodeURIComponent(id)}`);
    if (got.status === 200 && got.json.stage === stage) return got.json;
    if (Date.now() > until) assert.fail(`deal ${id} is ${got.status} ${got.json.stage}, not ${stage}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('Pipedrive: the rep creates the deal with the CRM id; won, then deleted (lost), arrive by webhook', async () => {
  const created = await api('POST', '/deals', dealFor('pipedrive', '4127', 'Northwind Traders'));
  assert.equal(created.status, 201, JSON.stringify(created.json));
  assert.equal(created.json.id, 'pipedrive:4127');

  assert.equal(await postPipedrive(pipedriveChange(4127, 'change', 'won')), 200);
  const won = await stageOf('pipedrive:4127', 'won');
  // What Pipedrive said about the close and the value replaces what the rep typed.
  assert.equal(won.value.amount, 48_000);
  assert.match(won.expectedCloseAt, /^2026-07-1[45]T/);

  t.clock.advance(60_000);
  const deleted = pipedriveChange(4127, 'delete', 'won');
  assert.equal(await postPipedrive(deleted), 200);
  await stageOf('pipedrive:4127', 'lost');

  // A replay of the delivery, and a late "open" for the lost deal, change nothing.
  assert.equal(await postPipedrive(deleted), 200);
  t.clock.advance(60_000);
  assert.equal(await postPipedrive(pipedriveChange(4127, 'change', 'open')), 200);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await api('GET', '/deals/pipedrive:4127')).json.stage, 'lost');
});

test('HubSpot: a deal stage change reaches the deal the rep created with the HubSpot id', async () => {
  const created = await api('POST', '/deals', dealFor('hubspot', '18423776315', 'Fabrikam'));
  assert.equal(created.status, 201);
  const event = (eventId: number, objectId: number, stage: string) => ({
    objectId,
    propertyName: 'dealstage',
    propertyValue: stage,
    changeSource: 'CRM_UI',
    eventId,
    subscriptionId: 2440613,
    portalId: 46021337,
    appId: 3190024,
    occurredAt: t.clock.now(),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
  });
  // One known deal lost, one deal nobody created here (HubSpot sends only the stage: no deal).
  assert.equal(await postHubSpot([event(1, 18423776315, 'closedlost'), event(2, 99, 'closedwon')]), 200);
  await stageOf('hubspot:18423776315', 'lost');
  assert.equal((await api('GET', '/deals/hubspot:99')).status, 404);
});

test('a forged Pipedrive delivery is refused and creates nothing', async () => {
  const response = await fetch(`${base}/webhooks/pipedrive`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: pipedriveAuthorization(PD_USER, 'guess') },
    body: pipedriveChange(5001, 'create', 'open'),
  });
  assert.equal(response.status, 401);
  assert.equal((await api('GET', '/deals/pipedrive:5001')).status, 404);
});
