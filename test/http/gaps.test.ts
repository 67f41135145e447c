// Gap analysis over real HTTP on loopback: survey answers and two teams' audits become gaps with
// quadrants, derived importance and the teams' agreement; action items are added (write scope),
// listed (read scope) and done with a playbook version that ran; a 400 names the field, an
// unknown action or team is a 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import { newApiKey } from '../../src/engine/commands/apiKeyTokens.js';
import { T0, openTestApp, orderBody, type TestApp } from './harness.js';

let t: TestApp;
let base: string;
const keys = { read: '', write: '' };

before(async () => {
  t = await openTestApp();
  for (const scope of ['read', 'write'] as const) {
    const made = newApiKey(`only ${scope}`, T0, { scopes: [scope] });
    await t.store.access.createApiKey(made.record);
    keys[scope] = made.key;
  }
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await t.close();
});

async function call(
  method: 'GET' | 'POST',
  path: string,
  key: string,
  body?: unknown,
): Promise<{
  status: number;
  json: Record<string, unknown> & {
    error?: { code: string; message: string; details: Record<string, unknown> };
  };
}> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as never };
}

/** 40 customers: a week-one CSAT and a month NPS that rises with it, so first use matters. */
async function answers(): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const order = `g-${i}`;
    const placed = await call('POST', '/orders', keys.write, {
      ...orderBody(order, {
        customer: { email: `customer${i}@example.com`, firstName: 'Ada', timezone: 'Europe/London' },
      }),
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.json));
  }
  const events: DomainEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const csat = 1 + (i % 5);
    const nps = Math.min(10, 2 * csat - (i % 2));
    for (const [step, survey, score] of [
      ['checkin-week', 'csat', csat],
      ['checkin-month', 'nps', nps],
    ] as const) {
      events.push({
        id: `answer:${i}:${step}`,
        type: 'survey.answered',
        at: T0,
        customerId: null,
        orderId: `g-${i}`,
        data: { survey, score, touchPointId: `reassure:g-${i}:${step}` },
      });
    }
  }
  await t.composed.commands.ingest.events(events);
}

describe('gap analysis over HTTP', () => {
  test('gaps from survey answers and team audits, largest first, with agreement between teams', async () => {
    await answers();
    const csv = (rows: string) => `interaction,importance,performance,note\n${rows}`;
    const support = await t.composed.commands.gaps.importAudit(
      'support',
      csv('delivery,5,2,late\nsupport,5,2,\nrenewal,2,4,\norder-confirmation,3,4,\n'),
      'support.csv',
    );
    assert.equal(support.ok, true);
    await t.composed.commands.gaps.importAudit(
      'sales',
      csv('delivery,4,3,\nsupport,3,4,\nrenewal,2,5,\norder-confirmation,3,4,\n'),
      'sales.csv',
    );

    const refused = await call('GET', '/gaps', keys.write);
    assert.equal(refused.status, 403);
    const { status, json } = await call('GET', '/gaps?since=2026-06-01&until=2026-06-30', keys.read);
    assert.equal(status, 200, JSON.stringify(json));
    const gaps = json as unknown as {
      catalogue: { playbook: string; source: string };
      interactions: {
        interaction: string;
        gap: number | null;
        quadrant: string | null;
        importance: { value: number; source: string } | null;
        performance: { value: number; source: string } | null;
        evidence: { derived: { r: number; pairs: number } | null };
      }[];
      teams: { teams: string[]; compared: number; alpha: { importance: number | null } }[];
    };
    assert.deepEqual(gaps.catalogue, { playbook: 'reassure', source: 'interactions.yaml', interactions: 8 });
    const by = new Map(gaps.interactions.map((g) => [g.interaction, g]));
    // Support: asked (5 + 3) / 2 = 4, audited performance (2 + 4) / 2 = 3.
    assert.deepEqual(by.get('support')!.importance, { value: 4, source: 'asked' });
    assert.deepEqual(by.get('support')!.performance, { value: 3, source: 'audit' });
    // First use: no team asked; derived from 40 customers whose NPS rises with their CSAT.
    const firstUse = by.get('first-use')!;
    assert.equal(firstUse.importance?.source, 'derived');
    assert.equal(firstUse.evidence.derived?.pairs, 40);
    assert.ok(firstUse.evidence.derived.r > 0.9);
    // CSAT 1..5 evenly: mean 3.
    assert.deepEqual(firstUse.performance, { value: 3, source: 'survey' });
    const withGaps = gaps.interactions.filter((g) => g.gap !== null).map((g) => g.gap!);
    assert.deepEqual(
      withGaps,
      [...withGaps].sort((a, b) => b - a),
      'largest gap first',
    );
    assert.ok(gaps.interactions.every((g) => (g.gap === null) === (g.quadrant === null)));
    assert.equal(gaps.teams.length, 1);
    assert.deepEqual(gaps.teams[0]!.teams, ['sales', 'support']);
    assert.equal(gaps.teams[0]!.compared, 4);

    // A window with no orders: no survey answers, audits still count.
    const empty = await call('GET', '/gaps?since=2027-01-01', keys.read);
    const emptyFirstUse = (empty.json.interactions as { interaction: string; performance: unknown }[]).find(
      (g) => g.interaction === 'first-use',
    );
    assert.equal(emptyFirstUse?.performance, null);
    const badDay = await call('GET', '/gaps?since=2026-13-01', keys.read);
    assert.equal(badDay.status, 400);
    assert.equal(badDay.json.error?.details.field, 'since');
  });

  test('audits are listed and compared; a 400 names the query field, an unknown team is a 404', async () => {
    const listed = await call('GET', '/audits', keys.read);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      (listed.json.teams as { team: string }[]).map((x) => x.team),
      ['sales', 'support'],
    );
    assert.equal((listed.json.items as unknown[]).length, 8);
    const compared = await call('GET', '/audits/compare?teams=support,sales', keys.read);
    assert.equal(compared.status, 200);
    assert.deepEqual(
      (compared.json.disagreements as { interaction: string; distance: number }[])
        .slice(0, 2)
        .map((d) => [d.interaction, d.distance]),
      [
        ['support', 4],
        ['delivery', 2],
      ],
    );
    const one = await call('GET', '/audits/compare?teams=support', keys.read);
    assert.equal(one.status, 400);
    assert.equal(one.json.error?.details.field, 'teams');
    const nobody = await call('GET', '/audits/compare?teams=support,nobody', keys.read);
    assert.equal(nobody.status, 404);
    assert.match(nobody.json.error!.message, /team "nobody" has no audit/);
  });

  test('action items: write adds and completes, read lists; 400 names the field; 404 for an unknown id', async () => {
    const body = { interaction: 'support', title: 'Answer within a day', owner: 'Kim', due: '2026-07-01' };
    assert.equal((await call('POST', '/actions', keys.read, body)).status, 403);
    const missing = await call('POST', '/actions', keys.write, { ...body, title: undefined });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error?.details.field, 'title');
    const unknown = await call('POST', '/actions', keys.write, { ...body, interaction: 'supprt' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error?.details.field, 'interaction');
    const badDay = await call('POST', '/actions', keys.write, { ...body, due: '2026-02-30' });
    assert.equal(badDay.status, 400);
    assert.equal(badDay.json.error?.details.field, 'due');

    const added = await call('POST', '/actions', keys.write, body);
    assert.equal(added.status, 201, JSON.stringify(added.json));
    assert.equal(added.json.status, 'open');
    assert.equal(added.json.createdAt, new Date(T0).toISOString());
    const id = added.json.id as number;

    const gaps = await call('GET', '/gaps', keys.read);
    assert.deepEqual(
      (gaps.json.actions as { interaction: string; open: { id: number }[] }[]).map((a) => [
        a.interaction,
        a.open.map((o) => o.id),
      ]),
      [['support', [id]]],
    );

    assert.equal((await call('POST', `/actions/${id}/done`, keys.read, {})).status, 403);
    assert.equal((await call('POST', '/actions/999/done', keys.write, {})).status, 404);
    const notNumber = await call('POST', '/actions/abc/done', keys.write, {});
    assert.equal(notNumber.status, 400);
    assert.equal(notNumber.json.error?.details.field, 'id');
    const never = await call('POST', `/actions/${id}/done`, keys.write, { playbookVersion: 'reassure@99' });
    assert.equal(never.status, 400);
    assert.equal(never.json.error?.details.field, 'playbookVersion');
    // The built-in playbook's version was recorded when the app started.
    const version = `reassure@${t.playbooks[0]!.version}`;
    const done = await call('POST', `/actions/${id}/done`, keys.write, { playbookVersion: version });
    assert.equal(done.status, 200, JSON.stringify(done.json));
    assert.equal(done.json.status, 'done');
    assert.equal(done.json.playbookVersion, version);

    const open = await call('GET', '/actions?status=open', keys.read);
    assert.deepEqual(open.json.items, []);
    const all = await call('GET', '/actions?interaction=support', keys.read);
    assert.equal((all.json.items as unknown[]).length, 1);
    const badStatus = await call('GET', '/actions?status=closed', keys.read);
    assert.equal(badStatus.status, 400);
    assert.equal(badStatus.json.error?.details.field, 'status');
  });
});
