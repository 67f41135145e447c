// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AftercareError } from '../../errors.js';
import { readOrdersCsv, type OrdersCsvItem } from './orders.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-orders-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, text: string): Promise<{ file: string; items: OrdersCsvItem[] }> {
  const file = join(dir, name);
  await writeFile(file, text);
  const items: OrdersCsvItem[] = [];
  for await (const item of readOrdersCsv(file)) items.push(item);
  return { file, items };
}

const HEADER =
  'order_id,placed_at,email,first_name,timezone,total,currency,sku,product_name,quantity,segment,promised_delivery_at,shipped_at,carrier,tracking_number,delivered_at,gift_note';

describe('readOrdersCsv', () => {
  test('groups consecutive rows into one order with line items and lifecycle events', async () => {
    const { items } = await read(
      'good.csv',
      [
        HEADER,
        'A1,2026-03-01T10:00:00Z,ana@example.com,Ana,Europe/Berlin,120.50,eur,GR-1,Grinder,1,b2c,2026-03-05,2026-03-02T08:00:00Z,DHL,JD0001,2026-03-04T12:00:00Z,Happy birthday',
        'A1,2026-03-01T10:00:00Z,ANA@example.com,,,,,BN-2,Beans,2,,,,,,,',
        'B2,2026-03-01T11:00:00+01:00,bo@example.com,Bo,,10,USD,,,,b2b,,,,,,',
      ].join('\n'),
    );
    assert.equal(items.length, 2);
    const [a, b] = items;
    assert.ok(a?.kind === 'order' && b?.kind === 'order');
    assert.equal(a.line, 2);
    assert.equal(a.rows, 2);
    assert.deepEqual(
      a.events.map((e) => [e.id, e.type, e.at]),
      [
        ['csv:A1:placed', 'order.placed', Date.UTC(2026, 2, 1, 10)],
        ['csv:A1:shipped', 'shipment.shipped', Date.UTC(2026, 2, 2, 8)],
        ['csv:A1:delivered', 'shipment.delivered', Date.UTC(2026, 2, 4, 12)],
      ],
    );
    const placed = a.events[0]!;
    assert.equal(placed.orderId, 'A1');
    assert.equal(placed.customer?.email, 'ana@example.com');
    assert.equal(placed.customer?.timezone, 'Europe/Berlin');
    assert.equal(placed.order?.currency, 'EUR');
    assert.equal(placed.order?.total, 120.5);
    // A bare promised date is kept all day, in the customer's zone (Berlin is UTC+1 in March).
    assert.equal(placed.order?.promisedDeliveryAt, Date.UTC(2026, 2, 5, 22, 59, 59, 999));
    assert.deepEqual(placed.order?.items, [
      { sku: 'GR-1', productName: 'Grinder', category: null, quantity: 1, price: null },
      { sku: 'BN-2', productName: 'Beans', category: null, quantity: 2, price: null },
    ]);
    assert.deepEqual(placed.order?.attributes, { gift_note: 'Happy birthday' });
    assert.deepEqual(a.events[1]!.data, { carrier: 'DHL', tracking_number: 'JD0001' });
    assert.equal(b.events.length, 1);
    assert.equal(b.events[0]!.at, Date.UTC(2026, 2, 1, 10));
    assert.equal(b.events[0]!.order?.segment, 'b2b');
  });

  test('order_number and the shipping_* columns become the order number and its address', async () => {
    const { items } = await read(
      'addresses.csv',
      [
        'order_id,placed_at,email,order_number,shipping_name,shipping_company,shipping_address1,shipping_address2,shipping_city,shipping_region,shipping_postal_code,shipping_country,shipping_phone,sku',
        'W-88,2026-03-01T10:00:00Z,ana@example.com,#1042,Ana Souza,,Torstraße 5,"Hof, 2. OG",Berlin,,10119,DE,+49 30 555 0101,GR-1',
        'W-88,2026-03-01T10:00:00Z,ana@example.com,,,,,,,,,,,BN-2',
        'W-89,2026-03-02T10:00:00Z,bo@example.com,,,,,,,,,,,',
      ].join('\n'),
    );
    const [a, b] = items;
    assert.ok(a?.kind === 'order' && b?.kind === 'order');
    const placed = a.events[0]!;
    assert.equal(placed.order?.number, '#1042');
    assert.deepEqual(placed.order?.shippingAddress, {
      name: 'Ana Souza',
      company: null,
      line1: 'Torstraße 5',
      line2: 'Hof, 2. OG',
      city: 'Berlin',
      region: null,
      postalCode: '10119',
      country: 'DE',
      phone: '+49 30 555 0101',
    });
    // Neither column is an order attribute, and an order without them has neither.
    assert.deepEqual(placed.order?.attributes, {});
    assert.equal(b.events[0]!.order?.number, null);
    assert.equal(b.events[0]!.order?.shippingAddress, null);
  });

  test('reports every bad cell with its physical line and rejects only that order', async () => {
    const { file, items } = await read(
      'bad.csv',
      [
        'order_id,placed_at,email,total,quantity,segment,sku,note',
        'A1,2026-03-01T10:00:00Z,ana@example.com,10,1,b2c,X,"two',
        'lines"',
        'B2,not-a-date,bo@example,ten,1.5,retail,Y,',
        'C3,2026-03-01T10:00:00Z,cy@example.com,5,1,b2c,Z,',
      ].join('\n'),
    );
    assert.deepEqual(
      items.map((i) => [i.kind, i.line]),
      [
        ['order', 2],
        ['rejected', 4],
        ['order', 5],
      ],
    );
    const rejected = items[1]!;
    assert.ok(rejected.kind === 'rejected');
    assert.deepEqual(
      rejected.errors.map((e) => [e.file, e.line, e.field]),
      [
        [file, 4, 'quantity'],
        [file, 4, 'placed_at'],
        [file, 4, 'email'],
        [file, 4, 'total'],
        [file, 4, 'segment'],
      ],
    );
  });

  test('rows of one order that disagree on email or placed_at reject the order', async () => {
    const { items } = await read(
      'disagree.csv',
      [
        'order_id,placed_at,email,sku',
        'A1,2026-03-01T10:00:00Z,ana@example.com,X',
        'A1,2026-03-01T10:00:00Z,other@example.com,Y',
        'B2,2026-03-01T10:00:00Z,bo@example.com,X',
        'B2,2026-03-02T10:00:00Z,bo@example.com,Y',
        'C3,2026-03-01T10:00:00Z,cy@example.com,Z',
      ].join('\n'),
    );
    assert.deepEqual(
      items.map((i) => i.kind),
      ['rejected', 'rejected', 'order'],
    );
    const [a, b] = items;
    assert.ok(a?.kind === 'rejected' && b?.kind === 'rejected');
    assert.deepEqual(
      a.errors.map((e) => [e.line, e.field]),
      [[3, 'email']],
    );
    assert.deepEqual(
      b.errors.map((e) => [e.line, e.field]),
      [[5, 'placed_at']],
    );
  });

  test('an order whose rows are not consecutive is rejected whole, the rest imported', async () => {
    const { items } = await read(
      'scattered.csv',
      [
        'order_id,placed_at,email,sku',
        'A1,2026-03-01T10:00:00Z,ana@example.com,X',
        'B2,2026-03-01T10:00:00Z,bo@example.com,X',
        'A1,2026-03-01T10:00:00Z,ana@example.com,Y',
      ].join('\n'),
    );
    assert.deepEqual(
      items.map((i) => [i.kind, i.line]),
      [
        ['rejected', 2],
        ['order', 3],
        ['rejected', 4],
      ],
    );
    const last = items[2]!;
    assert.ok(last.kind === 'rejected');
    assert.equal(last.errors[0]?.field, 'order_id');
    assert.match(last.errors[0].message, /not consecutive \(it began on line 2\)/);
  });

  test('unknown time zones are not errors', async () => {
    const { items } = await read(
      'zone.csv',
      'order_id,placed_at,email,timezone\nA1,2026-03-01T10:00:00Z,ana@example.com,Mars/Olympus\n',
    );
    assert.equal(items[0]?.kind, 'order');
  });

  test('a row with the wrong number of fields is reported and skipped', async () => {
    const { items } = await read(
      'fields.csv',
      'order_id,placed_at,email\nA1,2026-03-01T10:00:00Z\r\nB2,2026-03-01T10:00:00Z,bo@example.com\r\n',
    );
    assert.deepEqual(
      items.map((i) => [i.kind, i.line]),
      [
        ['rejected', 2],
        ['order', 3],
      ],
    );
  });

  test('a missing required column is a file-level error naming it', async () => {
    await assert.rejects(
      read('header.csv', 'order_id,email\nA1,ana@example.com\n'),
      (error: unknown) =>
        error instanceof AftercareError &&
        error.code === 'AFTERCARE_E_CSV_INVALID' &&
        error.details.field === 'placed_at' &&
        error.details.line === 1,
    );
  });

  test('an e-mail holding two addresses rejects that order only, naming line and column', async () => {
    const { file, items } = await read(
      'two-addresses.csv',
      [
        'order_id,placed_at,email,total,currency',
        'B1,2026-03-01T10:00:00Z,"buyer@example.com, third@evil.example",59.90,EUR',
        'B2,2026-03-01T11:00:00Z,Buyer <buyer@example.com>,120.00,GBP',
        'B3,2026-03-01T12:00:00Z,ana.silva@example.pt,89.00,CHF',
      ].join('\n'),
    );
    const errors = items.flatMap((i) => (i.kind === 'rejected' ? i.errors : []));
    assert.deepEqual(
      errors.map((e) => [e.file, e.line, e.field]),
      [
        [file, 2, 'email'],
        [file, 3, 'email'],
      ],
    );
    assert.match(errors[0]!.message, /holds 2 addresses/);
    const placed = items.flatMap((i) => (i.kind === 'order' ? i.events : []));
    assert.deepEqual([...new Set(placed.map((e) => e.orderId))], ['B3']);
  });

  test('a semicolon-separated orders file is told so', async () => {
    await assert.rejects(
      read('semicolons.csv', 'order_id;placed_at;email\nA1;2026-03-01T10:00:00Z;ana@example.com\n'),
      (error: unknown) => error instanceof AftercareError && /looks like ';'-separated/.test(error.message),
    );
  });

  test('a missing file is AFTERCARE_E_FILE_NOT_FOUND', async () => {
    const iterator = readOrdersCsv(join(dir, 'nope.csv'));
    await assert.rejects(
      iterator.next(),
      (error: unknown) => error instanceof AftercareError && error.code === 'AFTERCARE_E_FILE_NOT_FOUND',
    );
  });
});

describe('readOrdersCsv line numbers', () => {
  test('count physical lines in CRLF files with quoted line breaks and blank lines', async () => {
    const { items } = await read(
      'crlf.csv',
      [
        'order_id,placed_at,email,note',
        'A1,2026-03-01T10:00:00Z,ana@example.com,"first\r\nsecond"',
        '',
        'B2,2026-03-01T10:00:00Z,not-an-email,x',
        'C3,2026-03-01T10:00:00Z,cy@example.com,"unclosed',
      ].join('\r\n'),
    );
    assert.deepEqual(
      items.map((i) => [i.kind, i.line]),
      [
        ['order', 2],
        ['rejected', 5],
        ['rejected', 6],
      ],
    );
    const note = items[0]!.kind === 'order' ? items[0]!.events[0]!.order?.attributes?.note : null;
    assert.equal(note, 'first\nsecond');
    const unclosed = items[2]!;
    assert.ok(unclosed.kind === 'rejected');
    assert.equal(unclosed.errors[0]?.field, '(row)');
    assert.match(unclosed.errors[0].message, /unreadable CSV/);
  });

  test('services and subscriptions: kind, renewal period, start and onboarding', async () => {
    const { items } = await read(
      'services.csv',
      [
        'order_id,placed_at,email,total,currency,sku,kind,renewal_at,renewal_period,started_at,onboarded_at',
        'S-9,2026-03-03T15:10:00Z,ops@tejo.example,4800,USD,SAAS-TEAM,Software,2027-03-03T15:10:00Z,annual,2026-03-03T16:00:00Z,2026-03-12T09:00:00Z',
        'S-10,2026-03-03T15:10:00Z,ops@tejo.example,29,EUR,SUP,subscription,,fortnightly,,',
      ].join('\n'),
    );
    const [s9, s10] = items;
    assert.ok(s9?.kind === 'order' && s10?.kind === 'rejected');
    assert.equal(s9.events[0]?.order?.kind, 'software');
    assert.equal(s9.events[0]?.order?.renewalPeriod, 'annual');
    assert.deepEqual(
      s9.events.map((e) => [e.type, e.at]),
      [
        ['order.placed', Date.UTC(2026, 2, 3, 15, 10)],
        ['order.started', Date.UTC(2026, 2, 3, 16)],
        ['order.onboarded', Date.UTC(2026, 2, 12, 9)],
      ],
    );
    assert.deepEqual(
      s10.errors.map((e) => [e.field, e.message]),
      [
        ['kind', '"subscription" is not a kind of sale; expected goods, service, software'],
        ['renewal_period', '"fortnightly" is not a renewal period; expected monthly, quarterly, annual'],
      ],
    );
  });
});
