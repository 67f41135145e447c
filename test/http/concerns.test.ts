// Concerns through the API, as a rep's tool or a helpdesk integration uses them: a detractor's
// answer posted as an event becomes a concern with a task; the concern is listed, acknowledged and
// resolved; the customer shows the temperature and its reasons; a call that found a problem opens
// another. Real SQLite store, the app's own listener.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DAY, T0, openTestApp, orderBody, type TestApp } from './harness.js';

let t: TestApp;
before(async () => {
  t = await openTestApp({ AFTERCARE_TIMEZONE: 'Europe/Berlin' });
});
after(async () => {
  await t.close();
});

interface ConcernBody {
  id: string;
  source: string;
  severity: string;
  orderId: string | null;
  summary: string;
  status: string;
  owner: string | null;
  acknowledgedAt: string | null;
  resolution: string | null;
  nextEscalationAt: string | null;
}
interface TaskBody {
  id: string;
  status: string;
  concernId: string | null;
}
/** The answers these tests read: each field present where that kind of answer has it. */
interface Body extends Partial<ConcernBody> {
  items: (ConcernBody & TaskBody)[];
  results: { customerId: string }[];
  error: { code: string };
  temperature: number;
  temperatureReasons: { delta: number; why: string }[];
  openConcerns: number;
  lastNps: number | null;
}

async function post(url: string, payload: object): Promise<{ status: number; body: Body }> {
  const res = await t.call({ method: 'POST', url: `/api/v1${url}`, payload });
  return { status: res.statusCode, body: res.json<Body>() };
}
async function get(url: string): Promise<{ status: number; body: Body }> {
  const res = await t.call({ method: 'GET', url: `/api/v1${url}` });
  return { status: res.statusCode, body: res.json<Body>() };
}

describe('concerns over the API', () => {
  test('a detractor becomes a concern with a task; acknowledged, resolved, shown on the customer', async () => {
    const placed = await post(
      '/orders',
      orderBody('shop-1042', {
        customer: {
          email: 'lena.vogel@example.de',
          firstName: 'Lena',
          timezone: 'Europe/Berlin',
          locale: 'de-DE',
        },
        currency: 'EUR',
        total: 349,
      }),
    );
    assert.equal(placed.status, 201);
    const customerId = placed.body.results[0]!.customerId;
    t.clock.set(T0 + 6 * DAY);
    const answered = await post('/events', {
      id: 'typeform-771',
      type: 'survey.answered',
      at: new Date(T0 + 6 * DAY).toISOString(),
      orderId: 'shop-1042',
      data: { survey: 'nps', score: 2, comment: 'arrived broken' },
    });
    assert.equal(answered.status, 201, JSON.stringify(answered.body));
    await t.composed.listener.hearPending();

    const open = await get(`/concerns?status=unresolved&customerId=${encodeURIComponent(customerId)}`);
    assert.equal(open.status, 200);
    assert.equal(open.body.items.length, 1);
    const concern = open.body.items[0]!;
    assert.equal(concern.source, 'survey');
    assert.equal(concern.severity, 'high');
    assert.equal(concern.orderId, 'shop-1042');
    assert.match(concern.summary, /arrived broken/);
    assert.equal(concern.status, 'open');

    const tasks = await get(`/tasks?customerId=${encodeURIComponent(customerId)}&status=open`);
    const task = tasks.body.items.find((x) => x.concernId === concern.id);
    assert.ok(task, 'the concern has a task for a rep');

    const customer = await get(`/customers/${encodeURIComponent(customerId)}`);
    assert.ok(customer.body.temperature < 50);
    assert.equal(customer.body.openConcerns, 1);
    assert.equal(customer.body.lastNps, 2);
    assert.ok(
      customer.body.temperatureReasons.some(
        (r: { delta: number; why: string }) => r.delta < 0 && /NPS/i.test(r.why),
      ),
      JSON.stringify(customer.body),
    );

    const acknowledged = await post(`/concerns/${encodeURIComponent(concern.id)}/acknowledge`, {
      by: 'mara',
    });
    assert.equal(acknowledged.status, 200, JSON.stringify(acknowledged.body));
    assert.equal(acknowledged.body.status, 'acknowledged');
    assert.equal(acknowledged.body.owner, 'mara');
    assert.notEqual(acknowledged.body.acknowledgedAt, null);

    const resolved = await post(`/concerns/${encodeURIComponent(concern.id)}/resolve`, {
      resolution: 'sent a replacement lamp by express',
      by: 'mara',
    });
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.status, 'resolved');
    assert.equal(resolved.body.resolution, 'sent a replacement lamp by express');
    assert.equal(resolved.body.nextEscalationAt, null);
    const closed = await get(`/tasks/${encodeURIComponent(task.id)}`);
    assert.equal(closed.body.status, 'done', 'resolving closes the concern task');

    const again = await post(`/concerns/${encodeURIComponent(concern.id)}/resolve`, {
      resolution: 'x',
      by: 'mara',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'AFTERCARE_E_CONFLICT');
    const after = await get(`/customers/${encodeURIComponent(customerId)}`);
    assert.equal(after.body.openConcerns, 0);
  });

  test('a call that found a problem opens a concern; callback needs a time; bad input names the field', async () => {
    const placed = await post(
      '/orders',
      orderBody('b2b-77', {
        customer: { email: 'ops@northwind.example', firstName: 'Sam', timezone: 'America/Chicago' },
        segment: 'b2b',
        currency: 'USD',
        total: 4800,
      }),
    );
    const customerId = placed.body.results[0]!.customerId;
    await post('/concerns/nope/acknowledge', { by: 'x' }).then((r) => assert.equal(r.status, 404));
    const missing = await post('/concerns/nope/resolve', { by: 'x' });
    assert.equal(missing.status, 400);
    assert.match(JSON.stringify(missing.body), /resolution/);
    const raised = await post('/events', {
      id: 'helpdesk-9',
      type: 'concern.raised',
      at: new Date(T0 + DAY).toISOString(),
      customerId,
      data: { severity: 'critical', summary: 'invoice billed twice' },
    });
    assert.equal(raised.status, 201, JSON.stringify(raised.body));
    await t.composed.listener.hearPending();
    const concerns = await get(`/concerns?customerId=${encodeURIComponent(customerId)}`);
    assert.equal(concerns.body.items.length, 1);
    assert.equal(concerns.body.items[0]!.severity, 'critical');
    assert.equal(concerns.body.items[0]!.source, 'api');

    const [task] = (await get(`/tasks?customerId=${encodeURIComponent(customerId)}&status=open`)).body.items;
    const noTime = await post(`/tasks/${encodeURIComponent(task!.id)}/complete`, { outcome: 'callback' });
    assert.equal(noTime.status, 400);
    assert.match(JSON.stringify(noTime.body), /callbackAt/);
    const badOutcome = await post(`/tasks/${encodeURIComponent(task!.id)}/complete`, {
      outcome: 'customer furious',
    });
    assert.equal(badOutcome.status, 400);
    assert.match(JSON.stringify(badOutcome.body), /problem_found/);
    const found = await post(`/tasks/${encodeURIComponent(task!.id)}/complete`, {
      outcome: 'problem_found',
      notes: 'customer furious: second invoice also wrong',
    });
    assert.equal(found.status, 200, JSON.stringify(found.body));
    const after = await get(`/concerns?customerId=${encodeURIComponent(customerId)}&status=open`);
    assert.equal(after.body.items.length, 2, 'the call found a second problem');
    assert.ok(after.body.items.some((c) => c.source === 'task'));
  });

  test('the OpenAPI document holds the concern routes', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = res.json<{ paths: Record<string, unknown> }>();
    for (const path of [
      '/concerns',
      '/concerns/{id}',
      '/concerns/{id}/acknowledge',
      '/concerns/{id}/resolve',
    ]) {
      assert.ok(doc.paths[path] ?? doc.paths[`/api/v1${path}`], path);
    }
  });
});
