// `aftercare simulate` with what customers say: the events CSV of docs/listening.md, run through
// the real listener and escalation sweep on the virtual clock. A Berlin detractor's concern gets a
// call task and is resolved by the call; a Chicago B2B customer's angry reply gets a reply task,
// nobody acknowledges it, and it climbs the ladder at its SLA deadlines; a promoter stays warm.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
  await writeFile(
    join(ws.dir, 'orders.csv'),
    [
      'order_id,placed_at,email,customer_id,first_name,timezone,locale,segment,currency,total,sku,product_name,shipped_at,delivered_at',
      'A-1001,2026-11-02T19:10:00+01:00,lena.vogel@example.de,,Lena,Europe/Berlin,de-DE,b2c,EUR,349.00,LMP-2,Desk lamp,2026-11-03T15:00:00+01:00,2026-11-06T11:30:00+01:00',
      'B-2001,2026-11-02T09:00:00-06:00,ops@northwind.example,cus_88,Sam,America/Chicago,en-US,b2b,USD,4800.00,SUB-Y,Annual plan,,',
      'C-3001,2026-11-03T12:00:00+09:00,haruto@example.jp,,Haruto,Asia/Tokyo,ja-JP,b2c,JPY,12450,KTL-1,Kettle,2026-11-04T10:00:00+09:00,2026-11-05T14:00:00+09:00',
    ].join('\n'),
  );
  await writeFile(
    join(ws.dir, 'events.csv'),
    [
      'order_id,customer_id,type,at,data',
      'A-1001,,survey.answered,2026-11-12T18:40:00+01:00,"{""survey"":""nps"",""score"":2,""comment"":""arrived broken"",""id"":""nps-1""}"',
      ',cus_88,reply.received,2026-11-13T09:05:00-06:00,"{""text"":""Still no answer about my refund. This is unacceptable.""}"',
      'A-1001,,task.completed,2026-11-16T10:20:00+01:00,"{""task_id"":""care:concern:nps-1"",""outcome"":""resolved"",""notes"":""replacement sent""}"',
      'C-3001,,survey.answered,2026-11-09T20:00:00+09:00,"{""survey"":""nps"",""score"":10}"',
      ',cus_404,reply.received,2026-11-13T09:05:00Z,"{""text"":""who am I?""}"',
    ].join('\n'),
  );
});
after(async () => {
  await ws.cleanup();
});

interface Output {
  deliveries: {
    step: string;
    channel: string;
    customer_id: string;
    order_id: string | null;
    at: string;
    local_at: string;
    outcome: string;
    subject: string | null;
    task_id?: string;
    due_at?: string;
  }[];
  concerns: {
    id: string;
    customer_id: string;
    order_id: string | null;
    source: string;
    severity: string;
    opened_at: string;
    level: number;
    escalations: { level: number; at: string }[];
    resolved_at: string | null;
  }[];
  customers: { customer_id: string; temperature: number; reasons: { delta: number; why: string }[] }[];
  summary: {
    events_rejected: number;
    concerns_opened: number;
    concerns_resolved: number;
    escalations: number;
  };
}

describe('aftercare simulate: the closed loop', () => {
  test('concerns, their tasks, escalations and final temperatures', async () => {
    const result = await ws.cli(
      'simulate',
      '--orders',
      'orders.csv',
      '--events',
      'events.csv',
      '--days',
      '30',
      '--json',
    );
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Output;

    assert.equal(out.summary.events_rejected, 1, 'the reply of a stranger is rejected, not a new customer');
    assert.equal(out.concerns.length, 2);
    const [detractor, reply] = out.concerns;
    assert.equal(detractor!.id, 'concern:nps-1');
    assert.equal(detractor!.order_id, 'A-1001');
    assert.equal(detractor!.source, 'survey');
    assert.equal(detractor!.severity, 'high');
    assert.equal(detractor!.opened_at, '2026-11-12T17:40:00.000Z');
    assert.equal(detractor!.resolved_at, '2026-11-16T09:20:00.000Z', 'the call resolved it');
    // Opened on Thursday 18:40 Berlin, after hours: the high SLA (4 h to acknowledge, calendar
    // time) passed at 21:40 and it climbed to the manager; the next 4 h took it to the owner.
    assert.deepEqual(detractor!.escalations, [
      { level: 1, at: '2026-11-12T21:40:00.000Z' },
      { level: 2, at: '2026-11-13T01:40:00.000Z' },
    ]);

    assert.equal(reply!.customer_id, 'cus_88');
    assert.equal(reply!.source, 'reply');
    assert.equal(reply!.order_id, null);
    assert.equal(reply!.resolved_at, null);
    assert.equal(reply!.level, 2, 'nobody acknowledged it: it reached the owner');
    assert.equal(reply!.escalations.length, 2);
    assert.equal(out.summary.concerns_opened, 2);
    assert.equal(out.summary.concerns_resolved, 1);
    assert.equal(out.summary.escalations, 4);

    const care = out.deliveries.filter((d) => d.step.startsWith('care:'));
    const call = care.find((d) => d.task_id === 'care:concern:nps-1');
    assert.ok(call, JSON.stringify(care));
    assert.equal(call.channel, 'task:call');
    // Thursday 18:40 in Berlin is after hours: the call is due at Friday's opening.
    assert.equal(call.due_at, '2026-11-13T08:00:00.000Z');
    const replyTask = care.find((d) => d.customer_id === 'cus_88');
    assert.equal(replyTask?.channel, 'task:reply');

    // The follow-up timed from the resolution (Monday 10:20 in Berlin): three days later at 10:00
    // local, asking whether it is really put right. Only Lena's concern was resolved.
    const fixChecks = out.deliveries.filter((d) => d.step === 'fix-check');
    assert.deepEqual(
      fixChecks.map((d) => [d.customer_id, d.order_id, d.at, d.local_at, d.outcome]),
      [
        [
          detractor!.customer_id,
          'A-1001',
          '2026-11-19T09:00:00.000Z',
          '2026-11-19T10:00:00.000+01:00',
          'sent',
        ],
      ],
      JSON.stringify(fixChecks),
    );
    assert.match(fixChecks[0]!.subject ?? '', /Ist jetzt alles in Ordnung, Lena\?/);

    const lena = out.customers.find((c) => c.customer_id === detractor!.customer_id)!;
    const haruto = out.customers.find((c) => c.reasons.some((r) => /10 out of 10/.test(r.why)))!;
    assert.ok(lena.temperature < 50, JSON.stringify(lena));
    assert.ok(
      lena.reasons.some((r) => r.delta < 0 && /2 out of 10|NPS 2/.test(r.why)),
      JSON.stringify(lena),
    );
    assert.ok(haruto.temperature > 50, JSON.stringify(haruto));
    const sam = out.customers.find((c) => c.customer_id === 'cus_88')!;
    assert.ok(
      sam.reasons.some((r) => r.delta < 0),
      JSON.stringify(sam),
    );
  });

  test("the readable plan shows each customer's temperature with its largest reasons, for the rep", async () => {
    const result = await ws.cli(
      'simulate',
      '--orders',
      'orders.csv',
      '--events',
      'events.csv',
      '--days',
      '30',
    );
    assert.equal(result.code, 0, result.stderr);
    const header = result.stdout.split('\n').find((line) => line.startsWith('lena.vogel@example.de'));
    assert.ok(header, result.stdout);
    assert.match(header, /temperature \d+: .*NPS 2: arrived broken \(-\d+\)/);
    assert.match(result.stdout, /fix-check\s+email\s+sent\s+"Ist jetzt alles in Ordnung, Lena\?"/);
  });
});
