// The playbooks pages over real HTTP: the list with versions, steps and channels; a playbook's
// timeline and its table; two recorded versions side by side with what changed; checking pasted
// YAML (the line and column of each problem, the size limit, CSRF); and simulating orders, the
// result held against the planner's due times and against `aftercare simulate`'s own engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { composeSimulation } from '../../src/app/compose.js';
import { MAX_PLAYBOOK_BYTES } from '../../src/core/playbook/parse.js';
import { playbookDefinition, playbookFingerprint } from '../../src/core/playbook/snapshot.js';
import type { Playbook } from '../../src/core/playbook/types.js';
import { dueAtFor } from '../../src/core/timing.js';
import { simulationOrders } from '../../src/http/dashboard/simulationOrders.js';
import { timeIn } from '../../src/http/dashboard/layout.js';
import { Client, USERS, openDashboardWorld, type DashboardWorld } from './dashboardWorld.js';
import { DAY, T0 } from './harness.js';

let w: DashboardWorld;

/** The text of a page with tags dropped and entities read, for matching what a person sees. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

async function signedIn(role: keyof typeof USERS): Promise<Client> {
  const client = new Client(w.base);
  assert.equal((await client.signIn(USERS[role])).status, 303);
  return client;
}

const GOOD = [
  'name: check',
  'version: 1',
  'steps:',
  '  - key: thanks',
  '    template: thank-you',
  '    channel: email',
  '    purpose: reassurance',
  '    timing: { after: 1d, from: placed }',
  '',
].join('\n');

describe('dashboard playbooks pages', () => {
  let reassure: Playbook;
  before(async () => {
    w = await openDashboardWorld();
    reassure = w.t.composed.commands.playbooks.get('reassure')!;
    // A later version recorded beside the running one: a step removed, one added, one retimed.
    const next: Playbook = {
      ...reassure,
      version: reassure.version + 1,
      steps: [
        ...reassure.steps
          .filter((s) => s.key !== 'thank-you-letter')
          .map((s) =>
            s.key === 'thank-you'
              ? {
                  ...s,
                  timing: { ...s.timing, offsetMs: 2 * DAY },
                  when: { field: 'segment', op: 'eq' as const, value: 'b2c' },
                }
              : s,
          ),
        { ...reassure.steps[0]!, key: 'second-thanks', description: 'Thanks again.' },
      ],
    };
    const definition = playbookDefinition(next);
    await w.t.store.playbooks.registerPlaybookVersion({
      name: next.name,
      version: next.version,
      fingerprint: playbookFingerprint(definition, {}),
      definition,
      templates: {},
      registeredAt: T0 + DAY,
    });
  });
  after(async () => {
    await w?.close();
  });

  test('the list: each running playbook with its version, the recorded versions, steps and channels', async () => {
    const client = await signedIn('viewer');
    const page = await client.request('GET', '/dashboard/playbooks');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /href="\/dashboard\/playbooks\/reassure"/);
    const text = textOf(html);
    const v = reassure.version;
    assert.match(
      text,
      new RegExp(
        `reassure .* v${v} v${v}, v${v + 1} latest recorded 2026-06-02 13:00 ${reassure.steps.length} `,
      ),
    );
    for (const channel of new Set(reassure.steps.map((s) => s.channel)))
      assert.ok(text.includes(channel), channel);
    // The links to the tools work.
    assert.equal((await client.request('GET', '/dashboard/playbooks/validate')).status, 200);
    assert.equal((await client.request('GET', '/dashboard/playbooks/simulate')).status, 200);
  });

  test('a playbook: its steps on a timeline by moment, and a table with every step', async () => {
    const client = await signedIn('manager');
    const html = await (await client.request('GET', '/dashboard/playbooks/reassure')).text();
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    assert.match(svg, /role="img"/);
    assert.match(svg, /aria-labelledby="timeline-title timeline-desc"/);
    // A lane per moment, in lifecycle order, and a numbered mark per step.
    const lanes = [...svg.matchAll(/font-size="14" fill="#1a1a1a">([a-z_]+)</g)].map((m) => m[1]);
    const moments = [...new Set(reassure.steps.map((s) => s.timing.moment))];
    assert.deepEqual([...lanes].sort(), [...moments].sort());
    assert.ok(
      lanes.indexOf('placed') < lanes.indexOf('delivered') &&
        lanes.indexOf('delivered') < lanes.indexOf('renewal'),
    );
    assert.equal([...svg.matchAll(/<g><title>/g)].length, reassure.steps.length);
    assert.match(svg, /<title>1\. thank-you: 1d after placed, at 10:00 by email<\/title>/);
    // Tasks are squares, messages circles.
    assert.match(svg, /<title>\d+\. arrival-call: 1d after delivered, at 10:00 by task:call<\/title><rect/);
    const text = textOf(html.slice(html.indexOf('id="steps"')));
    for (const step of reassure.steps) assert.ok(text.includes(step.key), step.key);
    assert.match(
      text,
      /renewal-heads-up .* renewal −30d 10:00 email – renewal-heads-up order\.renewal_period ≠ monthly/,
    );
    assert.match(
      text,
      /month-call .* delivered \+30d 11:00 task:call call \(account-manager\) month-call segment = b2b/,
    );
    assert.match(text, /checkin-month .* NPS survey, measurement/);
    assert.match(text, /order-shipped .* shipped 0 – email .* delivered/);
    // The versions, with a link to compare the last two, which works.
    const compare = `/dashboard/playbooks/reassure/versions?a=${reassure.version}&amp;b=${reassure.version + 1}`;
    assert.ok(html.includes(compare), 'a link to compare');
    assert.equal((await client.request('GET', compare.replace('&amp;', '&'))).status, 200);
    // An older or newer recorded version is shown from its stored definition.
    const later = await (
      await client.request('GET', `/dashboard/playbooks/reassure?version=${reassure.version + 1}`)
    ).text();
    assert.match(textOf(later), /Not running/);
    assert.match(later, /second-thanks/);
    assert.doesNotMatch(later, /id="step-thank-you-letter"/);
    assert.equal((await client.request('GET', '/dashboard/playbooks/reassure?version=99')).status, 404);
    assert.equal((await client.request('GET', '/dashboard/playbooks/reassure?version=x')).status, 400);
    assert.equal((await client.request('GET', '/dashboard/playbooks/nope')).status, 404);
  });

  test('two versions side by side: added, removed and changed steps, with the changed fields', async () => {
    const client = await signedIn('owner');
    const a = reassure.version;
    const b = a + 1;
    const page = await client.request('GET', `/dashboard/playbooks/reassure/versions?a=${a}&b=${b}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const text = textOf(html);
    assert.match(text, new RegExp(`v${a} → v${b}`));
    assert.match(text, new RegExp(`1 added, 1 removed, 1 changed, ${reassure.steps.length - 2} unchanged`));
    assert.match(text, /thank-you changed: timing, when/);
    assert.match(html, /<mark>1d after placed, at 10:00<\/mark>/);
    assert.match(html, /<mark>2d after placed, at 10:00<\/mark>/);
    assert.match(html, /<mark>segment = b2c<\/mark>/);
    assert.match(text, /thank-you-letter removed/);
    assert.match(text, /second-thanks added/);
    // Without a, the version before b; a version not recorded is a clear 404, garbage a 400.
    const defaulted = textOf(
      await (await client.request('GET', `/dashboard/playbooks/reassure/versions?b=${b}`)).text(),
    );
    assert.match(defaulted, new RegExp(`v${a} → v${b}`));
    const missing = await client.request('GET', `/dashboard/playbooks/reassure/versions?a=${a}&b=42`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /b: reassure v42 is not recorded here/);
    assert.equal(
      (await client.request('GET', `/dashboard/playbooks/reassure/versions?a=-1&b=${b}`)).status,
      400,
    );
    assert.equal((await client.request('GET', '/dashboard/playbooks/nope/versions')).status, 404);
  });

  test('checking YAML: each problem with its line and column; valid with a summary; a size limit; CSRF', async () => {
    const client = await signedIn('viewer');
    const _csrf = await client.csrfFrom('/dashboard/playbooks/validate');
    const broken = await client.request('POST', '/dashboard/playbooks/validate', {
      _csrf,
      yaml: GOOD.replace('after: 1d', 'after: soon'),
    });
    assert.equal(broken.status, 200);
    const html = await broken.text();
    const text = textOf(html);
    assert.match(text, /Not valid: one problem/);
    // Line 8, the column where the bad value starts, the field, and the line itself.
    const column = GOOD.split('\n')[7]!.indexOf('1d') + 1;
    assert.match(
      text,
      new RegExp(
        `8 ${column} steps\\[0\\]\\.timing\\.after .*duration.* timing: \\{ after: soon, from: placed \\}`,
      ),
    );
    assert.match(html, /after: soon, from: placed/, 'the pasted text is kept in the form');

    const syntax = textOf(
      await (
        await client.request('POST', '/dashboard/playbooks/validate', {
          _csrf,
          yaml: 'name: check\nversion: 1\nsteps:\n  - key: [unclosed\n',
        })
      ).text(),
    );
    assert.match(syntax, /Not valid/);
    assert.match(syntax, /(4|5) \d+ \(YAML\)/);

    const valid = textOf(
      await (await client.request('POST', '/dashboard/playbooks/validate', { _csrf, yaml: GOOD })).text(),
    );
    assert.match(valid, /Valid: check v1, 1 steps timed from placed, through email\./);
    assert.match(valid, /thanks placed \+1d – email – thank-you/);

    const missingTemplate = textOf(
      await (
        await client.request('POST', '/dashboard/playbooks/validate', {
          _csrf,
          yaml: GOOD.replace('template: thank-you', 'template: no-such-words'),
        })
      ).text(),
    );
    assert.match(missingTemplate, /Not valid: one problem/);
    assert.match(missingTemplate, /5 \d+ steps\[0\]\.template/);

    const big = await client.request('POST', '/dashboard/playbooks/validate', {
      _csrf,
      yaml: `${GOOD}# ${'x'.repeat(MAX_PLAYBOOK_BYTES)}\n`,
    });
    assert.equal(big.status, 413);
    assert.match(textOf(await big.text()), /bytes; at most 65,536 \(64 KiB\) are checked/);

    const noToken = await client.request('POST', '/dashboard/playbooks/validate', { yaml: GOOD });
    assert.equal(noToken.status, 403);
  });

  test('simulating pasted orders: who gets what and when, in their zone, as the planner times it', async () => {
    const client = await signedIn('manager');
    const _csrf = await client.csrfFrom('/dashboard/playbooks/simulate');
    const placedAt = Date.UTC(2026, 5, 1, 9, 15);
    const shippedAt = placedAt + 1 * DAY + 3_600_000;
    const deliveredAt = placedAt + 3 * DAY;
    const zone = 'America/New_York';
    const orders = [
      'order_id,placed_at,email,first_name,timezone,total,currency,segment,shipped_at,delivered_at',
      `S-1,${new Date(placedAt).toISOString()},kim@example.com,Kim,${zone},80,USD,b2c,${new Date(shippedAt).toISOString()},${new Date(deliveredAt).toISOString()}`,
      'S-2,not a time,lee@example.com,Lee,Europe/Paris,10,EUR,b2c,,',
    ].join('\n');
    const page = await client.request('POST', '/dashboard/playbooks/simulate', {
      _csrf,
      playbook: 'reassure',
      source: 'csv',
      orders,
      events: '',
      days: '40',
    });
    assert.equal(page.status, 200);
    const html = await page.text();
    const text = textOf(html);
    // The bad row is named with its line; the good order is simulated.
    assert.match(text, /pasted orders line 3: placed_at/);
    assert.match(text, /Order S-1 · kim@example\.com/);
    assert.match(text, new RegExp(`Times in the customer’s zone, ${zone.replace('/', '\\/')}`));
    const section = textOf(
      html.slice(html.indexOf('Order S-1'), html.indexOf('<form', html.indexOf('Order S-1'))),
    );
    const anchors: Record<string, number> = { placed: placedAt, shipped: shippedAt, delivered: deliveredAt };
    for (const key of ['thank-you', 'arrival-check', 'checkin-week', 'checkin-month']) {
      const step = reassure.steps.find((s) => s.key === key)!;
      const due = dueAtFor(step.timing, anchors[step.timing.moment]!, zone);
      const when = timeIn(due, zone);
      assert.match(section, new RegExp(`${key} email ${when} sent`), `${key} at ${when}`);
    }
    // Shipped at 06:15 in New York: the planner makes it due then, quiet hours (until 09:00 in the
    // customer's zone, AFTERCARE_QUIET_HOURS) hold it, and the page shows when it would go out.
    const shippedStep = reassure.steps.find((s) => s.key === 'order-shipped')!;
    assert.equal(timeIn(dueAtFor(shippedStep.timing, shippedAt, zone), zone), '2026-06-02 06:15');
    assert.equal(w.t.config.policy.quietHours.end.hour, 9);
    assert.match(section, /order-shipped email 2026-06-02 09:00 sent/);
    // Steps the planner leaves out for this order (a small consumer order: no call, no letter)
    // are not there; steps skipped when due say why.
    assert.doesNotMatch(section, /arrival-call|thank-you-letter|month-call/);
    assert.match(section, /review-ask email [\d-]+ 10:00 skipped: condition_not_met/);
    assert.match(section, /customer-story email [\d-]+ 10:00 skipped: no_story/);
  });

  test('sample orders: the same result as aftercare simulate over what demo-data writes', async () => {
    const client = await signedIn('owner');
    const _csrf = await client.csrfFrom('/dashboard/playbooks/simulate');
    const page = await client.request('POST', '/dashboard/playbooks/simulate', {
      _csrf,
      playbook: '',
      source: 'sample',
      sample: '6',
      seed: 'dashboard',
      days: '45',
    });
    assert.equal(page.status, 200);
    const text = textOf(await page.text());
    const now = new Date(w.t.clock.now());
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const input = await simulationOrders(
      { kind: 'sample', orders: 6, seed: 'dashboard', start },
      w.t.config.policy.defaultTimezone,
    );
    const simulator = await composeSimulation(w.t.config);
    const { summary, deliveries } = await simulator.run(input.events, 45);
    const outcomes = Object.entries(summary.by_outcome)
      .map(([outcome, n]) => `${n} ${outcome}`)
      .join(', ');
    assert.ok(deliveries.length > 0);
    assert.match(
      text,
      new RegExp(`${summary.orders} orders of ${summary.customers} customers over 45 days, .*: ${outcomes}`),
    );
    for (const d of deliveries.filter((x) => x.order_id !== null))
      assert.ok(text.includes(`Order ${d.order_id}`), d.order_id!);
  });

  test('simulation input is bounded, and each bad input says what is wrong', async () => {
    const client = await signedIn('viewer');
    const _csrf = await client.csrfFrom('/dashboard/playbooks/simulate');
    const post = async (form: Record<string, string>) => {
      const response = await client.request('POST', '/dashboard/playbooks/simulate', { _csrf, ...form });
      return { status: response.status, text: textOf(await response.text()) };
    };
    const tooMany = await post({ source: 'sample', sample: '51', seed: 'x', days: '10' });
    assert.equal(tooMany.status, 400);
    assert.match(tooMany.text, /must be from 1 to 50/);
    const tooLong = await post({ source: 'sample', sample: '2', seed: 'x', days: '121' });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.text, /days: must be a whole number from 1 to 120/);
    const huge = await post({
      source: 'csv',
      orders: `order_id,placed_at,email\n${'x'.repeat(70_000)}`,
      days: '10',
    });
    assert.equal(huge.status, 413);
    assert.match(huge.text, /orders: \d+ bytes pasted; at most 65536 \(64 KiB\)/);
    const many = ['order_id,placed_at,email'];
    for (let i = 0; i < 51; i += 1) many.push(`M-${i},2026-06-01T10:00:00Z,m${i}@example.com`);
    const fiftyOne = await post({ source: 'csv', orders: many.join('\n'), days: '10' });
    assert.equal(fiftyOne.status, 413);
    assert.match(fiftyOne.text, /orders: 51 orders; at most 50 are simulated here/);
    const badJson = await post({ source: 'json', json: '{"events": [', days: '10' });
    assert.equal(badJson.status, 400);
    assert.match(badJson.text, /orders: not JSON/);
    const wrongShape = await post({
      source: 'json',
      json: '{"events": [{"id": "e1", "type": "order.placed"}]}',
      days: '10',
    });
    assert.equal(wrongShape.status, 400);
    assert.match(wrongShape.text, /events\[0\]\.at/);
    const unknown = await post({ source: 'sample', sample: '1', seed: 'x', playbook: 'nope', days: '10' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /no playbook named "nope"/);
    const json = await post({
      source: 'json',
      days: '10',
      json: JSON.stringify({
        events: [
          {
            id: 'j1',
            type: 'order.placed',
            at: '2026-06-01T10:00:00Z',
            orderId: 'J-1',
            customer: { email: 'jo@example.com', timezone: 'Asia/Tokyo' },
            order: { placedAt: '2026-06-01T10:00:00Z', total: 20, currency: 'JPY' },
          },
        ],
      }),
    });
    assert.equal(json.status, 200);
    assert.match(json.text, /Order J-1 · jo@example\.com/);
    assert.match(json.text, /thank-you email 2026-06-02 10:00 sent/);
  });
});
