// Name search on the dashboard's customer page over real HTTP: thirty customers whose names
// start alike, paged 25 at a time by the Next link (the keyset cursor carried in it), the second
// page holding the rest in folded-name order, Back to the first page, and a cursor of an e-mail
// search refused on a name search with what is wrong.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import { Client, USERS, openDashboardWorld, type DashboardWorld } from './dashboardWorld.js';
import { T0 } from './harness.js';

let w: DashboardWorld;

function placed(i: number): DomainEvent {
  const n = String(i).padStart(2, '0');
  return {
    id: `placed-n${n}`,
    type: 'order.placed',
    at: T0,
    customerId: `cus-n${n}`,
    orderId: `n${n}`,
    customer: {
      customerId: `cus-n${n}`,
      email: `buyer${n}@example.com`,
      // Half typed with accents and capitals: the same folded name.
      firstName: i % 2 === 0 ? 'Noémie' : 'NOEMIE',
      lastName: `Ørsted${n}`,
      timezone: 'Europe/London',
    },
    order: { placedAt: T0, currency: 'GBP', total: 20, number: `#n${n}` },
    data: {},
  };
}

const rowsOf = (html: string): string[] => [...html.matchAll(/buyer(\d\d)@example\.com/g)].map((m) => m[1]!);

describe('dashboard name search, paged', () => {
  before(async () => {
    w = await openDashboardWorld();
    await w.t.composed.commands.ingest.events(Array.from({ length: 30 }, (_, i) => placed(i)));
  });
  after(async () => {
    await w?.close();
  });

  test('the Next link carries the name search on, a keyset page at a time', async () => {
    const client = new Client(w.base);
    await client.signIn(USERS.viewer);
    const first = await (await client.request('GET', '/dashboard/customers?by=name&q=noemie+o')).text();
    const expected = Array.from({ length: 30 }, (_, i) => String(i).padStart(2, '0'));
    assert.deepEqual(rowsOf(first), expected.slice(0, 25));
    const next = /href="([^"]*after=[^"]*)">Next 25</.exec(first)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(next, 'a Next link');
    assert.match(next, /by=name/);
    const second = await (await client.request('GET', next)).text();
    assert.deepEqual(rowsOf(second), expected.slice(25));
    assert.doesNotMatch(second, /Next 25/);
    const back = /href="([^"]*)">Back to the first page</.exec(second)?.[1]?.replaceAll('&amp;', '&');
    assert.equal(back, '/dashboard/customers?q=noemie+o&by=name');
    // The same cursor on an e-mail search is not one that search gave.
    const cursor = new URL(next, w.base).searchParams.get('after')!;
    const wrong = await client.request(
      'GET',
      `/dashboard/customers?by=email&q=buyer&after=${encodeURIComponent(cursor)}`,
    );
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /cursor: not a cursor this search gave/);
  });
});
