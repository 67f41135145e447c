// Who may change contact details, end to end on SQLite: a Shopify guest checkout carrying a known
// customer's address (through the signed webhook, the inbox and its drain) leaves their name,
// phone and time zone alone; a CSV import (the business's own file) changes them, and the change
// is on the customer's timeline as customer.contact_changed.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { collectCsvEvents } from '../../src/integrations/csv/collect.js';
import { fixtureJson } from '../fixtures/webhooks/fixtures.js';
import { NOW, shopifyHeaders, webhookWorld, type WebhookWorld } from './app.js';

const DAY = 86_400_000;
let world: WebhookWorld;
let dir: string;
before(async () => {
  world = await webhookWorld();
  dir = await mkdtemp(join(tmpdir(), 'aftercare-contact-'));
});
after(async () => {
  await world.close();
  await rm(dir, { recursive: true, force: true });
});

async function jane() {
  const customer = await world.store.reads.findCustomerByEmail('jane.cooper@example.com');
  assert.ok(customer, 'Jane is a customer');
  const changes = await world.store.reads.listEvents(customer.id, ['customer.contact_changed']);
  return { customer, changes };
}

test('a guest checkout with a known address changes nobody; a CSV import does, recorded', async () => {
  // Jane, as the business knows her (an order sent through the API a month ago).
  await world.intake.ingest([
    {
      id: 'erp-order-7781',
      type: 'order.placed',
      at: NOW - 30 * DAY,
      customerId: null,
      orderId: 'ERP-7781',
      customer: {
        email: 'jane.cooper@example.com',
        firstName: 'Jane',
        lastName: 'Cooper',
        phone: '+12065550142',
        timezone: 'America/Los_Angeles',
      },
      order: { placedAt: NOW - 30 * DAY, currency: 'USD', total: 89.5 },
      data: {},
    },
  ]);

  // A guest checkout on Shopify with her address, someone else's name, phone and country.
  const json = fixtureJson('shopify-orders-create');
  json.customer.state = 'disabled';
  json.customer.verified_email = false;
  json.customer.first_name = 'Mallory';
  json.customer.last_name = 'Impostor';
  json.phone = '+447700900123';
  json.customer.phone = '+447700900123';
  json.shipping_address.country_code = 'GB';
  json.shipping_address.province_code = null;
  json.billing_address.country_code = 'GB';
  json.billing_address.province_code = null;
  const body = Buffer.from(JSON.stringify(json));
  const answer = await world.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    payload: body,
    headers: shopifyHeaders(body, 'orders/create', 'guest-checkout-1'),
  });
  assert.equal(answer.statusCode, 200, answer.body);
  await world.drained();
  let held = await jane();
  assert.deepEqual(
    [held.customer.firstName, held.customer.lastName, held.customer.phone, held.customer.timezone],
    ['Jane', 'Cooper', '+12065550142', 'America/Los_Angeles'],
  );
  assert.deepEqual(held.changes, []);
  assert.equal((await world.store.reads.listOrders(held.customer.id)).length, 2, 'the order is still taken');

  // The business's own CSV says she married and moved: that changes her record, and says so.
  const orders = join(dir, 'orders.csv');
  await writeFile(
    orders,
    [
      'order_id,placed_at,email,first_name,last_name,phone,timezone,total,currency',
      'ERP-7790,2026-05-30T10:00:00Z,jane.cooper@example.com,Jane,Cooper-Lee,+12065550177,America/New_York,42.00,USD',
    ].join('\n'),
  );
  const csv = await collectCsvEvents({ orders });
  assert.deepEqual(csv.errors, []);
  const results = await world.intake.ingest(csv.events);
  assert.ok(results.every((r) => r.rejected === null));
  held = await jane();
  assert.deepEqual(
    [held.customer.lastName, held.customer.phone, held.customer.timezone],
    ['Cooper-Lee', '+12065550177', 'America/New_York'],
  );
  assert.deepEqual(
    held.changes.map((e) => [e.data.fields, e.data.source]),
    [[['lastName', 'phone', 'timezone'], 'business']],
  );
});
