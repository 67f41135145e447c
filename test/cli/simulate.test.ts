// `aftercare simulate`: the JSON contract (every field on every delivery), the readable
// timeline, and bad rows reported on stderr while the rest is simulated.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
  const demo = await ws.cli(
    'demo-data',
    '--orders',
    '40',
    '--out',
    'orders.csv',
    '--events',
    'events.csv',
    '--seed',
    'sim',
    '--start',
    '2026-03-01T00:00:00Z',
  );
  assert.equal(demo.code, 0, demo.stderr);
});
after(async () => {
  await ws.cleanup();
});

const DELIVERY_FIELDS = [
  'order_id',
  'customer_id',
  'email',
  'step',
  'channel',
  'purpose',
  'holdout',
  'measurement',
  'at',
  'local_at',
  'outcome',
  'reason',
  'reason_detail',
  'subject',
].sort();
const SUMMARY_FIELDS = [
  'orders',
  'customers',
  'days',
  'start',
  'end',
  'by_outcome',
  'by_step',
  'by_channel',
  'holdout_customers',
  'measurement_sent',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

describe('aftercare simulate', () => {
  test('--json prints exactly one object with every delivery field', async () => {
    const result = await ws.cli(
      'simulate',
      '--orders',
      'orders.csv',
      '--events',
      'events.csv',
      '--days',
      '45',
      '--json',
    );
    assert.equal(result.code, 0, result.stderr);
    const output = JSON.parse(result.stdout) as {
      deliveries: Record<string, unknown>[];
      concerns: Record<string, unknown>[];
      customers: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(output).sort(), ['concerns', 'customers', 'deliveries', 'summary']);
    assert.ok(output.deliveries.length > 100, `only ${output.deliveries.length} deliveries`);
    for (const d of output.deliveries) {
      // Tasks the listener made for people carry their task id, concern and due time besides.
      const care = String(d.step).startsWith('care:');
      assert.deepEqual(
        Object.keys(d).sort(),
        care ? [...DELIVERY_FIELDS, 'concern_id', 'due_at', 'task_id'].sort() : DELIVERY_FIELDS,
      );
      if (!care) assert.equal(typeof d.order_id, 'string');
      assert.equal(typeof d.customer_id, 'string');
      assert.equal(typeof d.holdout, 'boolean');
      assert.equal(typeof d.measurement, 'boolean');
      assert.match(String(d.at), ISO);
      assert.match(String(d.local_at), ISO);
      assert.ok(['sent', 'skipped', 'failed', 'cancelled'].includes(String(d.outcome)));
      assert.ok(['transactional', 'reassurance', 'education', 'offer'].includes(String(d.purpose)));
      if (d.outcome === 'sent') assert.equal(d.reason, null);
      else assert.equal(typeof d.reason, 'string');
    }
    const { summary } = output;
    for (const field of SUMMARY_FIELDS) assert.ok(field in summary, field);
    assert.equal(summary.orders, 40);
    assert.equal(summary.days, 45);
    const outcomes = summary.by_outcome as Record<string, number>;
    assert.equal(
      Object.values(outcomes).reduce((a, b) => a + b, 0),
      output.deliveries.length,
    );
    assert.ok((outcomes.sent ?? 0) > 0);
    const channels = new Set(output.deliveries.map((d) => d.channel));
    assert.ok(channels.has('email'));
    assert.ok(
      [...channels].some((c) => String(c).startsWith('task:')),
      'some rep tasks for larger orders',
    );
  });

  test('without --json: a readable timeline per customer, then totals', async () => {
    const result = await ws.cli(
      'simulate',
      '--orders',
      'orders.csv',
      '--events',
      'events.csv',
      '--days',
      '20',
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\S+@\S+ \((em_|acct_)\S+\)/m);
    assert.match(
      result.stdout,
      /^ {2}\d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{2}:\d{2} {2}DEMO-\d+ +thank-you +email +(sent|skipped)/m,
    );
    assert.match(result.stdout, /^Simulated 20 days \(2026-\S+ \.\. 2026-\S+\): \d+ orders, \d+ customers/m);
    assert.match(result.stdout, /^ {2}outcomes {3}sent \d+/m);
  });

  test('measurement surveys reach the holdout group, and the output says so', async () => {
    const env = { AFTERCARE_DATA_DIR: join(ws.dir, 'data'), AFTERCARE_HOLDOUT: '50%' };
    const args = ['simulate', '--orders', 'orders.csv', '--events', 'events.csv', '--days', '45'];
    const json = await runCli([...args, '--json'], { cwd: ws.dir, env });
    assert.equal(json.code, 0, json.stderr);
    const output = JSON.parse(json.stdout) as {
      deliveries: {
        step: string;
        holdout: boolean;
        measurement: boolean;
        outcome: string;
        reason: string | null;
      }[];
      summary: { measurement_sent: { treatment: number; holdout: number } };
    };
    const held = output.deliveries.filter((d) => d.holdout);
    const asked = held.filter((d) => d.measurement && d.outcome === 'sent');
    assert.ok(asked.length > 0, 'some holdout customers were asked the measurement survey');
    assert.ok(asked.every((d) => d.step === 'checkin-week' || d.step === 'checkin-month'));
    assert.ok(
      held.some((d) => d.step === 'thank-you' && d.reason === 'holdout'),
      'the program is held back',
    );
    assert.equal(output.summary.measurement_sent.holdout, asked.length);
    assert.ok(output.summary.measurement_sent.treatment > 0);

    const text = await runCli(args, { cwd: ws.dir, env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\[holdout: transactional messages and measurement surveys only\]/);
    assert.match(text.stdout, /checkin-(week|month) +email +sent +".+" \[measurement survey: both groups\]/);
    assert.match(
      text.stdout,
      /^ {2}measured {3}\d+ measurement surveys sent to treatment, [1-9]\d* to the holdout$/m,
    );

    const off = await runCli([...args, '--json'], {
      cwd: ws.dir,
      env: { ...env, AFTERCARE_MEASUREMENT: 'off' },
    });
    assert.equal(off.code, 0, off.stderr);
    const offOutput = JSON.parse(off.stdout) as typeof output;
    assert.equal(offOutput.summary.measurement_sent.holdout, 0);
    assert.ok(
      offOutput.deliveries
        .filter((d) => d.holdout && d.measurement && d.outcome !== 'cancelled')
        .every((d) => d.reason === 'holdout'),
    );
  });

  test('bad rows go to stderr with their lines; the rest is simulated; stdout stays pure JSON', async () => {
    await writeFile(
      join(ws.dir, 'some-bad.csv'),
      [
        'order_id,placed_at,email,total',
        'S1,2026-03-01T10:00:00Z,s1@example.com,10',
        'S2,2026-03-01T10:00:00Z,s2@,10',
        'S3,2026-03-01T11:00:00Z,s3@example.com,12',
      ].join('\n'),
    );
    const result = await ws.cli('simulate', '--orders', 'some-bad.csv', '--days', '10', '--json');
    assert.equal(result.code, 1);
    // The row and field are named; the address itself is not repeated (it may be personal data).
    assert.match(
      result.stderr,
      /^some-bad\.csv:3: email: has no valid domain; expected an address like buyer@example\.com$/m,
    );
    const output = JSON.parse(result.stdout) as {
      deliveries: { order_id: string }[];
      summary: { orders: number };
    };
    assert.equal(output.summary.orders, 2);
    assert.deepEqual([...new Set(output.deliveries.map((d) => d.order_id))].sort(), ['S1', 'S3']);
  });

  test('--playbook takes a file; a broken one is a usage error', async () => {
    await writeFile(join(ws.dir, 'broken.yaml'), 'name: broken\nsteps: 12\n');
    const result = await ws.cli('simulate', '--orders', 'orders.csv', '--playbook', 'broken.yaml', '--json');
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /AFTERCARE_E_PLAYBOOK_INVALID/);
  });
});
