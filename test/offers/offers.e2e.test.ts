// Insider offers end to end, on real sockets: orders in over HTTP, the production dispatcher
// sending through a real SMTP server day by day, a signed Shopify order over real HTTP using the
// code. A warm customer gets a code and the window in her language; a customer who is not warm,
// one with an open concern and one already capped are skipped with their reasons.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { smtpReceiver, type SmtpReceiver } from '../../src/channels/staffServers.test-helpers.js';
import { fixtureJson } from '../fixtures/webhooks/fixtures.js';
import { SECRETS, inboxEmpty, shopifyHeaders } from '../webhooks/app.js';
import { DAY, T0, dispatcherFor, openTestApp, orderBody, type TestApp } from '../http/harness.js';

const OFFERS = `
offers:
  - id: autumn-preview
    title:
      en: The autumn range
      de: Die Herbstkollektion
      fr: La collection d'automne
      es: La colección de otoño
    text:
      en: Our new colours, before they are in the shop.
      de: Unsere neuen Farben, bevor sie im Laden sind.
      fr: Nos nouvelles couleurs, avant la boutique.
      es: Nuestros nuevos colores, antes que en la tienda.
    insiders_from: 2026-07-01T00:00:00Z
    public_from: 2026-08-01T00:00:00Z
    codes: { source: generated, prefix: INSIDER- }
    eligibility: { min_temperature: 55, after_delivery: 21d }
    cap: { max: 1, per: 90d }
`;

let smtp: SmtpReceiver;
let t: TestApp;
let base: string;
let offersDir: string;

before(async () => {
  smtp = await smtpReceiver();
  // The offers file sits beside the store; the config reads it like any other.
  offersDir = await mkdtemp(join(tmpdir(), 'aftercare-offers-'));
  const file = join(offersDir, 'offers.yaml');
  await writeFile(file, OFFERS);
  t = await openTestApp({
    SMTP_URL: smtp.url,
    SHOPIFY_WEBHOOK_SECRET: SECRETS.SHOPIFY_WEBHOOK_SECRET,
    AFTERCARE_OFFERS_FILE: file,
  });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await t?.close();
  await smtp.close();
  await rm(offersDir, { recursive: true, force: true });
});

interface Posted {
  status: number;
  body: { results: { customerId: string }[] };
}

async function post(path: string, body: unknown): Promise<Posted> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { ...t.auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Posted['body'] };
}

function customer(email: string, firstName: string, locale: string, timezone: string) {
  return { email, firstName, locale, timezone };
}

async function order(id: string, who: ReturnType<typeof customer>, placed: number): Promise<string> {
  const made = await post(
    '/orders',
    orderBody(id, { customer: who, placedAt: new Date(placed).toISOString() }),
  );
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return made.body.results[0]!.customerId;
}

async function delivered(orderId: string, at: number): Promise<void> {
  const made = await post('/events', {
    id: `delivered-${orderId}`,
    type: 'shipment.delivered',
    at: new Date(at).toISOString(),
    orderId,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
}

async function nps(id: string, orderId: string, score: number, at: number): Promise<void> {
  const answered = await post('/events', {
    id,
    type: 'survey.answered',
    at: new Date(at).toISOString(),
    orderId,
    data: { survey: 'nps', score },
  });
  assert.equal(answered.status, 201, JSON.stringify(answered.body));
}

describe('insider offers', () => {
  test('a warm customer gets a code in her language; cold, concerned and capped customers are skipped; a Shopify order redeems the code', async () => {
    const lena = customer('lena.vogel@example.de', 'Lena', 'de-DE', 'Europe/Berlin');
    const tom = customer('tom.hale@example.com', 'Tom', 'en-GB', 'Europe/London');
    const rosa = customer('rosa.diaz@example.es', 'Rosa', 'es-ES', 'Europe/Madrid');
    const lenaId = await order('shop-a1', lena, T0);
    await order('shop-b1', tom, T0);
    await order('shop-c1', rosa, T0);
    t.clock.set(T0 + 2 * DAY);
    for (const id of ['shop-a1', 'shop-b1', 'shop-c1']) await delivered(id, T0 + 2 * DAY);
    // Lena's second order comes due for its offer after the first one's: her cap is one.
    t.clock.set(T0 + 5 * DAY);
    await order('shop-a2', lena, T0 + 5 * DAY);
    t.clock.set(T0 + 6 * DAY);
    await nps('nps-lena', 'shop-a1', 10, T0 + 6 * DAY);
    await nps('nps-rosa', 'shop-c1', 2, T0 + 6 * DAY);
    t.clock.set(T0 + 7 * DAY);
    await delivered('shop-a2', T0 + 7 * DAY);
    await t.composed.listener.hearPending();

    const exhausted: string[] = [];
    const { dispatcher, outcomes, channels } = dispatcherFor(t, smtp.url, {
      offers: {
        catalogue: t.config.offers!,
        store: t.store.offers,
        onExhausted: (offer) => exhausted.push(offer.id),
      },
    });
    try {
      for (let day = 7; day <= 46; day++) {
        t.clock.set(T0 + day * DAY);
        await dispatcher.runUntilIdle();
      }
    } finally {
      await channels.close();
    }

    const offerOutcomes = new Map(
      outcomes
        .filter((o) => o.touchPoint.stepKey === 'insider-offer')
        .map((o) => [o.touchPoint.orderId, o.outcome]),
    );
    const sent = offerOutcomes.get('shop-a1');
    assert.equal(sent?.kind, 'sent', JSON.stringify([...offerOutcomes]));
    const skipped = (orderId: string) => {
      const o = offerOutcomes.get(orderId);
      assert.ok(o && o.kind === 'skipped', `${orderId}: ${JSON.stringify(o)}`);
      return o.reason;
    };
    assert.equal(skipped('shop-b1').code, 'not_warm');
    assert.match(skipped('shop-b1').detail ?? '', /temperature 50 is below 55/);
    assert.equal(skipped('shop-c1').code, 'concern_open');
    assert.equal(skipped('shop-a2').code, 'offer_cap');
    assert.deepEqual(exhausted, []);

    // The mail Lena got: her code and the window, in German, in her zone.
    const [code] = await t.store.offers.forCustomer(lenaId);
    assert.ok(code, 'a code was given');
    assert.match(code.code, /^INSIDER-[ACDEFGHJKMNPQRTWXY34679]{10}$/);
    const offers = smtp.mails.filter((m) => m.parsed.text?.includes(code.code));
    assert.equal(offers.length, 1, 'one mail carries the code');
    const mail = offers[0]!;
    assert.deepEqual(mail.to, ['lena.vogel@example.de']);
    assert.match(mail.parsed.text ?? '', /Die Herbstkollektion/);
    assert.match(mail.parsed.text ?? '', /Ihr persönlicher Code: INSIDER-/);
    assert.match(
      mail.parsed.text ?? '',
      /ab dem 1\. Juli 2026\. Alle anderen sehen dies ab dem 1\. August 2026\./,
    );
    assert.ok(
      mail.parsed.html && String(mail.parsed.html).includes(code.code),
      'the HTML part carries the code',
    );
    // Nobody else got one.
    assert.equal(smtp.mails.filter((m) => /INSIDER-/.test(m.parsed.text ?? '')).length, 1);

    // Lena orders in the shop with her code: Shopify's signed webhook, over real HTTP.
    const payload = fixtureJson('shopify-orders-create');
    const at = new Date(t.clock.now() - 60_000).toISOString();
    Object.assign(payload, {
      id: 5940139499999,
      name: '#2001',
      created_at: at,
      email: lena.email,
      contact_email: lena.email,
      discount_codes: [{ code: code.code.toLowerCase(), amount: '10.00', type: 'percentage' }],
    });
    (payload.customer as Record<string, unknown>).email = lena.email;
    const body = JSON.stringify(payload);
    const response = await fetch(`${base}/webhooks/shopify`, {
      method: 'POST',
      headers: shopifyHeaders(body, 'orders/create', 'offer-redeem-1'),
      body,
    });
    assert.equal(response.status, 200, await response.text());
    await inboxEmpty(t.store.inbox);
    const [redeemed] = await t.store.offers.forCustomer(lenaId);
    assert.equal(redeemed?.redeemedOrderId, 'shopify:5940139499999');
    assert.ok(redeemed?.redeemedAt !== null);
    assert.deepEqual(await t.store.offers.counts(), [
      { offerId: 'autumn-preview', available: 0, assigned: 1, redeemed: 1 },
    ]);

    // The same delivery again (Shopify retries) changes nothing.
    const again = await fetch(`${base}/webhooks/shopify`, {
      method: 'POST',
      headers: shopifyHeaders(body, 'orders/create', 'offer-redeem-1'),
      body,
    });
    assert.equal(again.status, 200);
    await inboxEmpty(t.store.inbox);
    const [still] = await t.store.offers.forCustomer(lenaId);
    assert.equal(still?.redeemedAt, redeemed?.redeemedAt);
  });
});
