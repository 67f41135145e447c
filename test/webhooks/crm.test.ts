// The CRM webhooks for deals over real HTTP on loopback: HubSpot (signature v3, and the legacy
// versions) and Pipedrive (HTTP Basic) deliveries shaped like the vendors' documented examples,
// verified on the raw bytes, kept in the inbox and handed by the drain to the deals sink as
// CrmDealChange values. Forged, stale, unreadable, replayed and hostile requests included.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { RecordingDealChangeSink } from '../../src/integrations/crm/recordingSink.js';
import { signHubSpotLegacy } from '../../src/integrations/crm/hubspot/signature.js';
import { fixture, fixtureJson } from '../fixtures/webhooks/fixtures.js';
import {
  CRM_SECRETS,
  HUBSPOT_URI,
  NOW,
  SECRETS,
  hubspotHeaders,
  ingestCount,
  pipedriveHeaders,
  shopifyHeaders,
  webhookWorld,
  type WebhookWorld,
} from './app.js';

const ENV = {
  ...SECRETS,
  ...CRM_SECRETS,
  // A custom pipeline's stages besides HubSpot's own.
  AFTERCARE_HUBSPOT_WON_STAGES: 'closedwon,1180334',
  AFTERCARE_HUBSPOT_LOST_STAGES: 'closedlost,1180335',
};

// A fresh sink per test, behind the one the world was built with.
let sink = new RecordingDealChangeSink();
let world: WebhookWorld;
let base: string;
before(async () => {
  world = await webhookWorld(ENV, { deals: { apply: (changes) => sink.apply(changes) } });
  base = await world.app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => world.close());
beforeEach(async () => {
  await world.drained();
  sink = new RecordingDealChangeSink();
  world.logs.length = 0;
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function post(path: string, body: Buffer | string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** One HubSpot event of the fixture, with some fields changed. */
function hubspotEvent(changes: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(fixtureJson('hubspot-deal-stage-won') as unknown as Record<string, unknown>[])[0],
    ...changes,
  };
}

test('a HubSpot deal moved to closedwon, signed v3: queued, then handed to the sink as won', async () => {
  const body = fixture('hubspot-deal-stage-won');
  const answer = await post('/webhooks/hubspot', body, hubspotHeaders(body, NOW - 30_000));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, {
    received: true,
    events: [
      { id: 'hubspot:46021337:2440613:2817734501', status: 'queued', deal: '18423776315', stage: 'won' },
    ],
  });
  await world.drained();
  assert.deepEqual(sink.changes, [
    {
      id: 'hubspot:46021337:2440613:2817734501',
      source: 'hubspot',
      externalId: '18423776315',
      account: '46021337',
      stage: 'won',
      stageLabel: 'closedwon',
      occurredAt: '2026-06-01T14:29:30.500Z',
    },
  ]);
  assert.equal(await ingestCount(world.metrics, 'hubspot', 'accepted'), 1);
});

test('a HubSpot batch: stage changes and a deletion kept, other events ignored, in one delivery', async () => {
  const body = fixture('hubspot-deal-batch');
  const answer = await post('/webhooks/hubspot', body, hubspotHeaders(body, NOW));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.deepEqual(
    (answer.body.events as { stage: string }[]).map((event) => event.stage),
    ['open', 'lost', 'lost'],
  );
  await world.drained();
  assert.deepEqual(
    sink.changes.map((change) => [change.externalId, change.stage, change.stageLabel]),
    [
      ['18423776315', 'open', 'appointmentscheduled'],
      ['18423779902', 'lost', 'closedlost'],
      ['18423781204', 'lost', 'deleted'],
    ],
  );
});

test('the stage map: configured stage ids of a custom pipeline mean won and lost, the rest open', async () => {
  const events = [
    hubspotEvent({ eventId: 9001, propertyValue: '1180334' }),
    hubspotEvent({ eventId: 9002, propertyValue: '1180335' }),
    hubspotEvent({ eventId: 9003, propertyValue: '1180333' }),
    hubspotEvent({ eventId: 9004, propertyValue: 'closedwon' }),
    hubspotEvent({ eventId: 9005, propertyValue: 'ClosedWon' }),
  ];
  const body = json(events);
  assert.equal((await post('/webhooks/hubspot', body, hubspotHeaders(body, NOW))).status, 200);
  await world.drained();
  assert.deepEqual(
    sink.changes.map((change) => `${change.stageLabel}=${change.stage}`),
    ['1180334=won', '1180335=lost', '1180333=open', 'closedwon=won', 'ClosedWon=open'],
  );
});

test('forged HubSpot requests are 401 with one message, and nothing reaches the inbox', async () => {
  const body = fixture('hubspot-deal-stage-won');
  const tampered = Buffer.from(body.toString().replace('closedwon', 'closedlost'));
  const cases: [string, Buffer, Record<string, string>][] = [
    ['no signature', body, { 'content-type': 'application/json' }],
    ['another secret', body, hubspotHeaders(body, NOW, HUBSPOT_URI, 'some-other-app-secret-0000')],
    ['a changed body', tampered, hubspotHeaders(body, NOW)],
    ['another URL', body, hubspotHeaders(body, NOW, 'https://elsewhere.example/webhooks/hubspot')],
    ['no timestamp', body, { ...hubspotHeaders(body, NOW), 'x-hubspot-request-timestamp': '' }],
    [
      'another timestamp',
      body,
      { ...hubspotHeaders(body, NOW), 'x-hubspot-request-timestamp': String(NOW + 1) },
    ],
    ['junk signature', body, { ...hubspotHeaders(body, NOW), 'x-hubspot-signature-v3': '!!not base64!!' }],
    // A v3 header that fails is not rescued by a valid legacy one.
    [
      'bad v3 beside a good v1',
      body,
      {
        ...hubspotHeaders(body, NOW, HUBSPOT_URI, 'some-other-app-secret-0000'),
        ...signHubSpotLegacy(body, CRM_SECRETS.AFTERCARE_HUBSPOT_CLIENT_SECRET, 'v1'),
      },
    ],
  ];
  for (const [name, sent, headers] of cases) {
    const answer = await post('/webhooks/hubspot', sent, headers);
    assert.equal(answer.status, 401, name);
    assert.deepEqual(
      answer.body.error,
      {
        code: 'AFTERCARE_E_UNAUTHORIZED',
        message: 'the webhook signature is missing, wrong or expired',
        details: {},
      },
      name,
    );
  }
  assert.equal(await world.store.inbox.inboxDepth(), 0);
  assert.equal(sink.handedOver, 0);
});

test('a genuine HubSpot signature older or newer than five minutes is 401 (stale_timestamp)', async () => {
  const body = fixture('hubspot-deal-stage-won');
  for (const at of [NOW - 5 * 60_000 - 1, NOW + 5 * 60_000 + 1]) {
    const answer = await post('/webhooks/hubspot', body, hubspotHeaders(body, at));
    assert.equal(answer.status, 401);
  }
  assert.deepEqual(
    world.logs.filter((line) => line.msg === 'webhook signature refused').map((line) => line.reason),
    ['stale_timestamp', 'stale_timestamp'],
  );
  // Right at the edge it is still taken.
  assert.equal((await post('/webhooks/hubspot', body, hubspotHeaders(body, NOW - 5 * 60_000))).status, 200);
});

test('HubSpot v2 and v1 signatures are taken when no v3 header came', async () => {
  const v2 = json([hubspotEvent({ eventId: 7002 })]);
  const v1 = json([hubspotEvent({ eventId: 7001 })]);
  const secret = CRM_SECRETS.AFTERCARE_HUBSPOT_CLIENT_SECRET;
  const headers = { 'content-type': 'application/json' };
  assert.equal(
    (await post('/webhooks/hubspot', v2, { ...headers, ...signHubSpotLegacy(v2, secret, 'v2', HUBSPOT_URI) }))
      .status,
    200,
  );
  assert.equal(
    (await post('/webhooks/hubspot', v1, { ...headers, ...signHubSpotLegacy(v1, secret, 'v1') })).status,
    200,
  );
  const wrongUri = signHubSpotLegacy(v2, secret, 'v2', 'https://elsewhere.example/webhooks/hubspot');
  assert.equal((await post('/webhooks/hubspot', v2, { ...headers, ...wrongUri })).status, 401);
  await world.drained();
  assert.equal(sink.changes.length, 2);
});

test('HubSpot signs the URL it called, query and encoded characters included', async () => {
  const body = fixture('hubspot-deal-stage-won');
  // HubSpot decodes %3A, %2F, %40 ... in the URI before signing; other escapes stay.
  const path = '/webhooks/hubspot?portal=46021337&tag=a%3Ab%20c';
  const signedFor = 'http://localhost:8080/webhooks/hubspot?portal=46021337&tag=a:b%20c';
  const answer = await post(path, body, hubspotHeaders(body, NOW, signedFor));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
});

test('unreadable HubSpot bodies are 400 naming the field; readable events beside them are kept', async () => {
  const notJson = Buffer.from('[{"eventId": 1,');
  const malformed = await post('/webhooks/hubspot', notJson, hubspotHeaders(notJson, NOW));
  assert.equal(malformed.status, 400);
  assert.deepEqual(malformed.body.error, {
    code: 'AFTERCARE_E_INPUT_INVALID',
    message: 'the body is not JSON',
    details: { reason: 'malformed_json' },
  });

  const object = json(hubspotEvent({}));
  const notArray = await post('/webhooks/hubspot', object, hubspotHeaders(object, NOW));
  assert.equal(notArray.status, 400);
  assert.match(String((notArray.body.error as { message: string }).message), /^body is not an array/);

  const bad = json([
    hubspotEvent({ eventId: 8001, objectId: 'x\u0000y' }),
    hubspotEvent({ eventId: 8002, occurredAt: 12 }),
  ]);
  const allBad = await post('/webhooks/hubspot', bad, hubspotHeaders(bad, NOW));
  assert.equal(allBad.status, 400);
  assert.deepEqual(allBad.body.error, {
    code: 'AFTERCARE_E_INPUT_INVALID',
    message: '[0].objectId is not an id',
    details: {
      field: '[0].objectId',
      reason: 'unsupported_payload',
      problems: [
        { field: '[0].objectId', problem: 'is not an id' },
        { field: '[1].occurredAt', problem: 'is not a time in milliseconds since 1970 near now' },
      ],
    },
  });

  const mixed = json([hubspotEvent({ eventId: 8003, propertyValue: null }), hubspotEvent({ eventId: 8004 })]);
  const some = await post('/webhooks/hubspot', mixed, hubspotHeaders(mixed, NOW));
  assert.equal(some.status, 200);
  assert.deepEqual(some.body.invalid, [
    { field: '[0].propertyValue', problem: 'is missing (the new deal stage)' },
  ]);
  await world.drained();
  assert.deepEqual(
    sink.changes.map((change) => change.id),
    ['hubspot:46021337:2440613:8004'],
  );

  const nothing = json([{ ...hubspotEvent({}), subscriptionType: 'contact.creation' }]);
  const ignored = await post('/webhooks/hubspot', nothing, hubspotHeaders(nothing, NOW));
  assert.equal(ignored.status, 202);
  assert.deepEqual(ignored.body, {
    received: true,
    ignored: "contact.creation is not a deal's stage change",
  });
});

test('replays are idempotent: HubSpot retries and Pipedrive redeliveries reach the sink as one change each', async () => {
  const hubspot = fixture('hubspot-deal-stage-won');
  const pipedrive = fixture('pipedrive-deal-change-won');
  const duplicates = async (): Promise<number> =>
    (await ingestCount(world.metrics, 'hubspot', 'duplicate')) +
    (await ingestCount(world.metrics, 'pipedrive', 'duplicate'));
  const duplicatesBefore = await duplicates();
  const retried = fixtureJson('pipedrive-deal-change-won');
  retried.meta.attempt = 2;
  const statuses = await Promise.all([
    post('/webhooks/hubspot', hubspot, hubspotHeaders(hubspot, NOW - 1000)),
    post('/webhooks/hubspot', hubspot, hubspotHeaders(hubspot, NOW)),
    post('/webhooks/pipedrive', pipedrive, pipedriveHeaders()),
    post('/webhooks/pipedrive', json(retried), pipedriveHeaders()),
  ]);
  assert.deepEqual(
    statuses.map((answer) => answer.status),
    [200, 200, 200, 200],
  );
  await world.drained();
  // And once more after the first ones were applied.
  assert.equal((await post('/webhooks/pipedrive', pipedrive, pipedriveHeaders())).status, 200);
  await world.drained();
  // Repeats in one drain batch are dropped there (counted as duplicates); later ones reach the
  // sink, which applies each change once.
  assert.equal(sink.handedOver + (await duplicates()) - duplicatesBefore, 5);
  assert.equal(sink.changes.length, 2);
  assert.deepEqual(sink.changes.map((change) => change.source).sort(), ['hubspot', 'pipedrive']);
});

test('Pipedrive v2: a created deal, then won, then another deleted, mapped with value, close date and stage', async () => {
  for (const name of ['pipedrive-deal-create', 'pipedrive-deal-change-won', 'pipedrive-deal-delete']) {
    const answer = await post('/webhooks/pipedrive', fixture(name), pipedriveHeaders());
    assert.equal(answer.status, 200, `${name}: ${JSON.stringify(answer.body)}`);
  }
  await world.drained();
  const [created, won, deleted] = sink.changes;
  assert.deepEqual(created, {
    id: created!.id,
    source: 'pipedrive',
    externalId: '4127',
    account: '13094471',
    stage: 'open',
    stageLabel: 'stage 3',
    title: 'Northwind Traders: 40 support seats',
    expectedCloseAt: '2026-07-15',
    value: { amount: 48000, currency: 'EUR' },
    occurredAt: '2026-06-01T14:20:05.120Z',
  });
  assert.match(created.id, /^pipedrive:13094471:4127:create:1780323605120:[0-9a-f]{16}$/);
  assert.equal(won!.stage, 'won');
  assert.equal(won!.stageLabel, 'won');
  assert.deepEqual(won!.value, { amount: 52500.5, currency: 'EUR' });
  assert.equal(won!.expectedCloseAt, '2026-06-30');
  assert.equal(sink.latest('pipedrive', '4127'), won);
  assert.equal(deleted!.externalId, '4188');
  assert.equal(deleted!.stage, 'lost');
  assert.equal(deleted!.stageLabel, 'deleted');
  assert.equal(deleted!.title, 'Contoso: pilot for the Lyon office');
});

test('Pipedrive credentials: missing or wrong Basic auth is 401, compared whatever the length', async () => {
  const body = fixture('pipedrive-deal-create');
  const cases: [string, Record<string, string>][] = [
    ['none', { 'content-type': 'application/json' }],
    [
      'wrong password',
      pipedriveHeaders(CRM_SECRETS.AFTERCARE_PIPEDRIVE_WEBHOOK_USER, 'pd-hook-3b9f1c7e5a2e'),
    ],
    ['wrong user', pipedriveHeaders('someone', CRM_SECRETS.AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD)],
    ['a prefix of it', pipedriveHeaders(CRM_SECRETS.AFTERCARE_PIPEDRIVE_WEBHOOK_USER, 'pd-hook')],
    ['bearer', { 'content-type': 'application/json', authorization: 'Bearer pd-hook-3b9f1c7e5a2d' }],
    ['junk', { 'content-type': 'application/json', authorization: 'Basic ???' }],
  ];
  for (const [name, headers] of cases) {
    assert.equal((await post('/webhooks/pipedrive', body, headers)).status, 401, name);
  }
  assert.equal(await world.store.inbox.inboxDepth(), 0);
});

test('Pipedrive: v1 payloads are 400 naming the version, other entities 202, unreadable deals 400', async () => {
  const v1 = json({
    v: 1,
    meta: { action: 'updated', object: 'deal', id: 9, v: 1 },
    current: { id: 9, status: 'won' },
  });
  const version = await post('/webhooks/pipedrive', v1, pipedriveHeaders());
  assert.equal(version.status, 400);
  assert.equal(
    (version.body.error as { message: string }).message,
    'meta.version is 1.0; create the webhook with version "2.0" (webhooks v2)',
  );

  const person = fixtureJson('pipedrive-deal-create');
  person.meta.entity = 'person';
  const ignored = await post('/webhooks/pipedrive', json(person), pipedriveHeaders());
  assert.equal(ignored.status, 202);

  const cases: [string, (payload: ReturnType<typeof fixtureJson>) => void, string][] = [
    ['status', (p) => (p.data.status = 'maybe'), 'data.status'],
    ['close date', (p) => (p.data.expected_close_date = '15/07/2026'), 'data.expected_close_date'],
    ['impossible date', (p) => (p.data.expected_close_date = '2026-02-30'), 'data.expected_close_date'],
    ['value', (p) => (p.data.value = 'lots'), 'data.value'],
    ['currency', (p) => (p.data.currency = 'euros'), 'data.currency'],
    ['action', (p) => (p.meta.action = 'merge'), 'meta.action'],
    ['time', (p) => (p.meta.timestamp = '1970-01-01T00:00:00Z'), 'meta.timestamp'],
  ];
  for (const [name, change, field] of cases) {
    const payload = fixtureJson('pipedrive-deal-create');
    change(payload);
    const answer = await post('/webhooks/pipedrive', json(payload), pipedriveHeaders());
    assert.equal(answer.status, 400, name);
    assert.equal((answer.body.error as { details: { field: string } }).details.field, field, name);
  }
  const notJson = await post('/webhooks/pipedrive', '{"meta":', pipedriveHeaders());
  assert.equal(notJson.status, 400);
  assert.equal((notJson.body.error as { details: { reason: string } }).details.reason, 'malformed_json');
  assert.equal(await world.store.inbox.inboxDepth(), 0);
});

test('a hostile client: huge bodies are 413, odd content types change nothing, and nothing is a 5xx', async () => {
  const huge = Buffer.alloc(2 * 1024 * 1024, 0x20);
  for (const path of ['/webhooks/hubspot', '/webhooks/pipedrive']) {
    const answer = await post(path, huge, { 'content-type': 'application/json' });
    assert.equal(answer.status, 413, path);
  }
  // Streamed without a length: cut off at the limit all the same.
  const streamed = await new Promise<number>((resolve, reject) => {
    const request = httpRequest(
      `${base}/webhooks/pipedrive`,
      { method: 'POST', headers: { ...pipedriveHeaders(), 'transfer-encoding': 'chunked' } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const write = (): void => {
      while (sent < 4 * 1024 * 1024) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', write);
      }
      request.end();
    };
    write();
  }).catch(() => 413); // the server may close the connection before the client has written it all
  assert.equal(streamed, 413);

  const body = fixture('hubspot-deal-stage-won');
  const signed = hubspotHeaders(body, NOW);
  const unsigned = [
    { 'content-type': 'text/plain' },
    { 'content-type': 'multipart/form-data; boundary=x' },
    { 'content-type': 'application/x-www-form-urlencoded' },
  ];
  for (const headers of unsigned) {
    assert.equal((await post('/webhooks/hubspot', body, headers)).status, 401, headers['content-type']);
    assert.equal((await post('/webhooks/pipedrive', body, headers)).status, 401, headers['content-type']);
  }
  // The signature covers the bytes, not the header: a genuine body under another type is read.
  const plain = await post('/webhooks/hubspot', body, { ...signed, 'content-type': 'text/plain' });
  assert.equal(plain.status, 200);
  const { 'content-type': _type, ...untyped } = signed;
  const noType = await post('/webhooks/hubspot', body, untyped);
  assert.equal(noType.status, 200, JSON.stringify(noType.body));
  const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x01]);
  const binary = await post('/webhooks/pipedrive', garbage, {
    ...pipedriveHeaders(),
    'content-type': 'application/octet-stream',
  });
  assert.equal(binary.status, 400);
  const many = json(Array.from({ length: 50_000 }, () => ({})));
  const named = await post('/webhooks/hubspot', many, hubspotHeaders(many, NOW));
  assert.equal(named.status, 400);
  assert.equal((named.body.error as { details: { problems: unknown[] } }).details.problems.length, 20);
  const deep = Buffer.from('['.repeat(200_000));
  const nested = await post('/webhooks/hubspot', deep, hubspotHeaders(deep, NOW));
  assert.equal(nested.status, 400);
  await world.drained();
  // The same genuine delivery, read twice: one change.
  assert.equal(sink.changes.length, 1);
});

test('a Shopify order and a Pipedrive deal in one drain batch: each goes its own way', async () => {
  const order = fixture('shopify-orders-create');
  const deal = fixture('pipedrive-deal-create');
  const [shop, crm] = await Promise.all([
    post('/webhooks/shopify', order, shopifyHeaders(order, 'orders/create', 'crm-batch-1')),
    post('/webhooks/pipedrive', deal, pipedriveHeaders()),
  ]);
  assert.equal(shop.status, 200);
  assert.equal(crm.status, 200);
  await world.drained();
  assert.ok(await world.store.reads.getOrder('shopify:5940139491234'));
  assert.deepEqual(
    sink.changes.map((change) => change.externalId),
    ['4127'],
  );
  const rejected = world.logs.filter((line) => line.msg === 'webhook event rejected by intake');
  assert.deepEqual(rejected, []);
});

test('seeded fuzzing: signed CRM payloads with fields of every wrong type are 200, 202 or 400, and the drain agrees', async () => {
  let seed = 20260601;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const junk: unknown[] = [
    null,
    0,
    -1,
    1e300,
    '',
    ' ',
    'x'.repeat(5000),
    [],
    {},
    [1],
    { a: 1 },
    true,
    '2026-13-45',
    NaN,
  ];
  const mutate = (value: Record<string, unknown>): void => {
    const keys = Object.keys(value);
    for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
      const key = pick(keys);
      if (random() < 0.2) delete value[key];
      else value[key] = pick(junk);
    }
  };
  for (let n = 0; n < 150; n++) {
    if (random() < 0.5) {
      const events = fixtureJson('hubspot-deal-batch') as unknown as Record<string, unknown>[];
      for (const event of events) if (random() < 0.5) mutate(event);
      events.forEach((event, index) => (event.eventId = 100_000 + n * 10 + index));
      const body = json(events);
      const answer = await post('/webhooks/hubspot', body, hubspotHeaders(body, NOW));
      assert.ok(
        [200, 202, 400].includes(answer.status),
        `hubspot ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    } else {
      const payload = fixtureJson(
        pick(['pipedrive-deal-create', 'pipedrive-deal-change-won', 'pipedrive-deal-delete']),
      );
      mutate(pick([payload.meta, payload.data ?? payload.previous, payload]));
      const answer = await post('/webhooks/pipedrive', json(payload), pipedriveHeaders());
      assert.ok(
        [200, 202, 400].includes(answer.status),
        `pipedrive ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
  }
  await world.drained();
  const trouble = world.logs.filter(
    (line) => line.msg === 'webhook event rejected by intake' || /could not/.test(String(line.msg)),
  );
  assert.deepEqual(trouble, []);
  assert.ok(sink.changes.length > 0);
});
