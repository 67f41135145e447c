// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AftercareError } from '../../errors.js';
import { readEventsCsv, type EventsCsvItem } from './events.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-events-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(text: string): Promise<{ file: string; items: EventsCsvItem[] }> {
  const file = join(dir, `events-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, text);
  const items: EventsCsvItem[] = [];
  for await (const item of readEventsCsv(file)) items.push(item);
  return { file, items };
}

describe('readEventsCsv', () => {
  test('turns rows into events with stable ids', async () => {
    const { items } = await read(
      [
        'order_id,type,at,data,carrier',
        'A1,shipment.delayed,2026-03-04T09:00:00+01:00,"{""new_promise"":""2026-03-07""}",DHL',
        'A1,shipment.delivered,2026-03-06T12:00:00Z,"{""id"":""carrier-evt-9""}",',
      ].join('\n'),
    );
    assert.equal(items.length, 2);
    const [delayed, delivered] = items;
    assert.ok(delayed?.kind === 'event' && delivered?.kind === 'event');
    assert.deepEqual(delayed.event, {
      id: 'csv-event:A1:shipment.delayed:2026-03-04T08:00:00.000Z',
      type: 'shipment.delayed',
      at: Date.UTC(2026, 2, 4, 8),
      customerId: null,
      orderId: 'A1',
      data: { new_promise: '2026-03-07', carrier: 'DHL' },
    });
    assert.equal(delivered.event.id, 'carrier-evt-9');
    assert.equal(delivered.line, 3);
  });

  test('reports bad type, time and data with line numbers and keeps good rows', async () => {
    const { file, items } = await read(
      [
        'order_id,type,at,data',
        'A1,shipment.teleported,2026-03-04T09:00:00Z,',
        'A1,shipment.delivered,soon,[1]',
        ',order.returned,2026-03-04T09:00:00Z,{not json',
        'A1,order.returned,2026-03-08T09:00:00Z,',
      ].join('\n'),
    );
    assert.deepEqual(
      items.map((i) => i.kind),
      ['rejected', 'rejected', 'rejected', 'event'],
    );
    const errors = items.flatMap((i) => (i.kind === 'rejected' ? i.errors : []));
    assert.deepEqual(
      errors.map((e) => [e.file, e.line, e.field]),
      [
        [file, 2, 'type'],
        [file, 3, 'at'],
        [file, 3, 'data'],
        [file, 4, 'order_id'],
        [file, 4, 'data'],
      ],
    );
    assert.match(errors[0]!.message, /not an event type; expected one of .*shipment\.delivered/);
  });

  test('shipment.exception names its kind in an exception column; a missing or unknown kind names the line', async () => {
    const { file, items } = await read(
      [
        'order_id,type,at,exception,reason',
        'W-88,shipment.exception,2026-03-04T09:00:00Z,lost,Carrier investigation closed',
        'W-89,shipment.exception,2026-03-04T09:00:00Z,,',
        'W-90,shipment.delayed,2026-03-04T09:00:00Z,stolen,',
        'W-91,shipment.delayed,2026-03-04T09:00:00Z,,Weather',
      ].join('\n'),
    );
    const [lost, missing, unknown, late] = items;
    assert.ok(lost?.kind === 'event' && late?.kind === 'event');
    assert.deepEqual(lost.event.data, { exception: 'lost', reason: 'Carrier investigation closed' });
    assert.deepEqual(late.event.data, { reason: 'Weather' });
    assert.ok(missing?.kind === 'rejected' && unknown?.kind === 'rejected');
    assert.deepEqual(missing.errors, [
      {
        file,
        line: 3,
        field: 'exception',
        message:
          'is required for shipment.exception; expected one of late, damaged, lost, failed_attempt, returned_to_sender',
      },
    ]);
    assert.equal(unknown.errors[0]?.line, 4);
    assert.match(unknown.errors[0]?.message ?? '', /^"stolen" is not a shipping exception/);
  });

  test('a missing required column is a file-level error', async () => {
    await assert.rejects(
      read('order_id,at\nA1,2026-03-04T09:00:00Z\n'),
      (error: unknown) =>
        error instanceof AftercareError &&
        error.code === 'AFTERCARE_E_CSV_INVALID' &&
        error.details.field === 'type',
    );
  });

  test('JSON data cannot reach a prototype: "__proto__" never changes the row id', async () => {
    const { items } = await read(
      [
        'order_id,type,at,data,constructor',
        'A7,shipment.delayed,2026-03-04T09:00:00Z,"{""__proto__"":{""id"":""evil-id""},""reason"":""weather""}",x',
        'A7,shipment.delivered,2026-03-06T09:00:00Z,"{""nested"":{""__proto__"":{""polluted"":true},""constructor"":{""prototype"":{}}}}",',
      ].join('\n'),
    );
    const [delayed, delivered] = items;
    assert.ok(delayed?.kind === 'event' && delivered?.kind === 'event');
    assert.equal(delayed.event.id, 'csv-event:A7:shipment.delayed:2026-03-04T09:00:00.000Z');
    assert.equal(Object.getPrototypeOf(delayed.event.data), Object.prototype);
    assert.deepEqual(Object.keys(delayed.event.data).sort(), ['reason']);
    assert.deepEqual(delivered.event.data, { nested: {} });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('an e-mail cell holding two addresses refuses the row, naming file, line and column', async () => {
    const { file, items } = await read(
      [
        'email,type,at',
        '"buyer@example.com, third@evil.example",concern.raised,2026-03-12T12:00:00Z',
        'lena.vogel@example.de,concern.raised,2026-03-12T12:00:00Z',
      ].join('\n'),
    );
    const errors = items.flatMap((i) => (i.kind === 'rejected' ? i.errors : []));
    assert.deepEqual(
      errors.map((e) => [e.file, e.line, e.field]),
      [[file, 2, 'email']],
    );
    assert.match(errors[0]!.message, /holds 2 addresses/);
    assert.equal(items.filter((i) => i.kind === 'event').length, 1);
  });

  test('a semicolon-separated file is told so', async () => {
    await assert.rejects(
      read('order_id;type;at\nA1;shipment.delivered;2026-03-04T09:00:00Z\n'),
      (error: unknown) =>
        error instanceof AftercareError &&
        error.code === 'AFTERCARE_E_CSV_INVALID' &&
        /looks like ';'-separated; Aftercare reads comma-separated CSV/.test(error.message),
    );
  });

  test('what a customer said needs only who they are: an order, a customer id or an address', async () => {
    const { file, items } = await read(
      [
        'order_id,customer_id,email,type,at,survey,score,comment',
        'A1,,,survey.answered,2026-03-12T10:00:00Z,nps,2,arrived broken',
        ',cus_9,,reply.received,2026-03-12T11:00:00Z,,,',
        ',,Lena.Vogel@Example.de,concern.raised,2026-03-12T12:00:00Z,,,',
        ',,,task.completed,2026-03-12T13:00:00Z,,,',
        ',cus_9,,shipment.delayed,2026-03-12T14:00:00Z,,,',
      ].join('\n'),
    );
    const events = items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
    assert.deepEqual(
      events.map((e) => [e.type, e.orderId, e.customerId, e.customer?.email ?? null, e.id]),
      [
        ['survey.answered', 'A1', null, null, 'csv-event:A1:survey.answered:2026-03-12T10:00:00.000Z'],
        ['reply.received', null, 'cus_9', null, 'csv-event:cus_9:reply.received:2026-03-12T11:00:00.000Z'],
        [
          'concern.raised',
          null,
          null,
          'Lena.Vogel@Example.de',
          'csv-event:lena.vogel@example.de:concern.raised:2026-03-12T12:00:00.000Z',
        ],
      ],
    );
    assert.deepEqual(events[0]!.data, { survey: 'nps', score: '2', comment: 'arrived broken' });
    const errors = items.flatMap((i) => (i.kind === 'rejected' ? i.errors : []));
    assert.deepEqual(
      errors.map((e) => [e.file, e.line, e.field]),
      [
        [file, 5, 'order_id'],
        [file, 6, 'order_id'],
      ],
    );
    assert.match(errors[0]!.message, /customer_id and email/);
    assert.match(errors[1]!.message, /required/);
  });
});
