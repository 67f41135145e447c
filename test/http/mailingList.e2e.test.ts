// The mailing list end to end, over real HTTP on 127.0.0.1 and a real SMTP server: a person signs
// up on the public form, the confirmation mail arrives (and no second one when they press again),
// a scanner's GET of the confirm link changes nothing, the button confirms; the worker's digest
// job sends the news once in their language with a working one-click unsubscribe and the postal
// address; the unsubscribe page opens on a phone; the mailbox provider's RFC 8058 POST
// unsubscribes; the next period sends nothing. An unconfirmed sign-up never gets a digest; a
// customer signs up from the preferences page; GDPR export shows the consent and erasure removes
// it; and two workers racing over the same PostgreSQL store send each digest exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { smtpReceiver, type SmtpReceiver } from '../../src/channels/staffServers.test-helpers.js';
import { runDigest, type DigestDeps } from '../../src/engine/list/digest.js';
import { DAY, HOUR, T0, openTestApp, type TestApp } from './harness.js';

const PUBLIC = 'https://care.lumen.example';
const SECRET = 'Vq3+pN8sK2xR7tY1wZ5mB9cF4hJ6lD0gA-current-link-secret';
const ENV = {
  AFTERCARE_SECRET: SECRET,
  AFTERCARE_PUBLIC_URL: PUBLIC,
  AFTERCARE_BUSINESS_NAME: 'Lumen Lamps',
  AFTERCARE_POSTAL_ADDRESS: 'Lichtstraße 4, 10115 Berlin',
  AFTERCARE_TIMEZONE: 'Europe/Berlin',
  AFTERCARE_LIST_DIGEST_EVERY: '7d',
};
const ANA = 'ana.schulz@example.de';
const BOB = 'bob.stranger@example.com';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

function header(mail: SmtpReceiver['mails'][number], key: string): string {
  const line = mail.parsed.headerLines.find((h) => h.key === key)?.line ?? '';
  return line.replace(/\r\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
}

function links(mail: SmtpReceiver['mails'][number]): string[] {
  return (mail.parsed.text ?? '').match(/https?:\/\/[^\s<>)"]+/g) ?? [];
}

function digestDeps(t: TestApp): DigestDeps {
  return {
    list: t.store.mailingList,
    reads: t.store.reads,
    consent: t.store.consent,
    queue: t.store.queue,
    mail: {
      linkTokens: t.composed.linkTokens,
      publicUrl: t.config.publicUrl,
      business: t.config.business,
      email: () => t.composed.channels().get('email') ?? null,
    },
    policy: t.config.policy,
    digestEveryMs: t.config.mailingList.digestEveryMs,
    checkEveryMs: t.config.mailingList.checkEveryMs,
  };
}

describe('mailing list over HTTP and SMTP', () => {
  let smtp: SmtpReceiver;
  let t: TestApp;
  let base: string;
  const local = (url: string): string => {
    const u = new URL(url);
    return `${base}${u.pathname}${u.search}`;
  };
  const mailsTo = (to: string) => smtp.mails.filter((m) => m.to.includes(to));

  before(async () => {
    smtp = await smtpReceiver();
    t = await openTestApp({ ...ENV, SMTP_URL: smtp.url });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test('sign up, confirm, one digest, one-click unsubscribe, nothing after', async () => {
    // The public form, in German from the browser's language.
    const page = await fetch(`${base}/list`, { headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Ihre E-Mail-Adresse/);
    const signed = await fetch(`${base}/list`, form({ email: ANA, lang: 'de' }));
    assert.equal(signed.status, 200);
    assert.match(await signed.text(), /Bitte sehen Sie in Ihr Postfach/);
    assert.equal(mailsTo(ANA).length, 1);
    const confirmation = mailsTo(ANA)[0]!;
    assert.match(confirmation.parsed.subject ?? '', /Bitte bestätigen Sie: Neuigkeiten von Lumen Lamps/);
    assert.match(confirmation.parsed.text ?? '', /Lichtstraße 4, 10115 Berlin/);
    assert.equal(header(confirmation, 'list-unsubscribe'), '', 'nothing to unsubscribe from yet');
    const confirmUrl = links(confirmation).find((l) => l.startsWith(`${PUBLIC}/list/confirm/`));
    assert.ok(confirmUrl, 'the confirmation mail carries its confirm link');

    // Pressing again (or a stranger pressing for her) sends no second mail, and answers the same.
    const again = await fetch(`${base}/list`, form({ email: ANA.toUpperCase(), lang: 'de' }));
    assert.equal(again.status, 200);
    assert.match(await again.text(), /Bitte sehen Sie in Ihr Postfach/);
    assert.equal(mailsTo(ANA).length, 1);
    // Bad input: the form again, with the problem named.
    const bad = await fetch(`${base}/list`, form({ email: 'ana, bob@example.com', lang: 'de' }));
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /gültige E-Mail-Adresse/);

    // A stranger signs up and never confirms.
    await fetch(`${base}/list`, form({ email: BOB, lang: 'en' }));
    assert.equal(mailsTo(BOB).length, 1);

    // A scanner opens the link: nothing changes. The person presses the button: confirmed.
    const shown = await fetch(local(confirmUrl), { headers: { 'user-agent': PHONE } });
    assert.equal(shown.status, 200);
    const shownHtml = await shown.text();
    assert.match(shownHtml, /Ja, bitte senden Sie mir den Newsletter von Lumen Lamps/);
    assert.match(shownHtml, /<button type="submit">Bestätigen<\/button>/);
    assert.equal((await t.store.mailingList.findByEmail(ANA))?.status, 'pending');
    const action = /<form method="post" action="([^"]+)"/.exec(shownHtml)?.[1] ?? '';
    const confirmed = await fetch(`${base}${action}`, form({}, { 'user-agent': PHONE }));
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /Ihre Anmeldung ist bestätigt/);
    const ana = (await t.store.mailingList.findByEmail(ANA))!;
    assert.equal(ana.status, 'confirmed');
    assert.equal(ana.consent?.requestSource, 'form');
    assert.equal(ana.consent?.confirmIp, '127.0.0.1');
    assert.equal(ana.consent?.confirmUserAgent, PHONE);
    assert.match(ana.consent?.wording ?? '', /Newsletter von Lumen Lamps/);

    // The business writes news (through the API), one for everyone and one for French readers.
    t.clock.set(T0 + HOUR);
    const news = await t.call({
      method: 'POST',
      url: '/api/v1/list/news',
      payload: { title: 'Die neue Stehlampe', body: 'Ab heute im Laden: die Stehlampe Nova.' },
    });
    assert.equal(news.statusCode, 201, news.body);
    await t.call({
      method: 'POST',
      url: '/api/v1/list/news',
      payload: { title: 'Nouveau', body: 'Pour nos lecteurs francophones.', locale: 'fr' },
    });
    const badNews = await t.call({
      method: 'POST',
      url: '/api/v1/list/news',
      payload: { title: '', body: 'x' },
    });
    assert.equal(badNews.statusCode, 400);
    assert.match(badNews.body, /title/);

    // Night in Berlin (23:30): the digest waits. Morning: the worker's job sends it, once.
    const worker = await t.composed.startWorker();
    try {
      t.clock.set(Date.UTC(2026, 5, 1, 21, 30));
      const night = await worker.runJob('list-digest');
      assert.equal((night?.result as { waiting: number }).waiting, 1);
      assert.equal(mailsTo(ANA).length, 1);
      t.clock.set(Date.UTC(2026, 5, 2, 8, 0)); // 10:00 in Berlin
      const morning = await worker.runJob('list-digest');
      assert.equal((morning?.result as { sent: number }).sent, 1);
      assert.equal((await worker.runJob('list-digest'))?.ran, true);
    } finally {
      await worker.stop();
    }
    assert.equal(mailsTo(ANA).length, 2, 'exactly one digest');
    assert.equal(mailsTo(BOB).length, 1, 'an unconfirmed address gets nothing but its confirmation');
    const digest = mailsTo(ANA)[1]!;
    assert.equal(digest.parsed.subject, 'Neuigkeiten von Lumen Lamps');
    const text = digest.parsed.text ?? '';
    assert.match(text, /Die neue Stehlampe/);
    assert.doesNotMatch(text, /Nouveau/);
    assert.match(text, /Lichtstraße 4, 10115 Berlin/);
    const unsubscribeHeader = /^<([^>]+)>$/.exec(header(digest, 'list-unsubscribe'))?.[1] ?? '';
    assert.ok(unsubscribeHeader.startsWith(`${PUBLIC}/list/u/`), unsubscribeHeader);
    assert.equal(header(digest, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    assert.ok(
      links(digest).some((l) => l.startsWith(`${PUBLIC}/list/u/`)),
      'the text carries the link too',
    );

    // On a phone: the page explains, with one button, and changes nothing.
    const phone = await fetch(local(unsubscribeHeader), { headers: { 'user-agent': PHONE } });
    assert.equal(phone.status, 200);
    assert.match(await phone.text(), /<button type="submit">Abmelden<\/button>/);
    assert.equal((await t.store.mailingList.findByEmail(ANA))?.status, 'confirmed');
    // The mailbox provider's one-click POST (RFC 8058).
    const oneClick = await fetch(local(unsubscribeHeader), form({ 'List-Unsubscribe': 'One-Click' }));
    assert.equal(oneClick.status, 200);
    assert.match(await oneClick.text(), /abgemeldet/);
    assert.equal((await t.store.mailingList.findByEmail(ANA))?.unsubscribeSource, 'one-click');

    // More news, a week on: nothing for her.
    t.clock.set(Date.UTC(2026, 5, 9, 8, 0));
    await t.composed.commands.mailingList.addNews({ title: 'Noch mehr', body: 'Neues.' });
    t.clock.set(Date.UTC(2026, 5, 9, 9, 0));
    await runDigest(digestDeps(t), t.clock.now());
    assert.equal(mailsTo(ANA).length, 2);
  });

  test('a customer signs up from the preferences page; export shows the consent; erasure removes it', async () => {
    const customerId = 'cus-DE-77';
    const email = 'jonas.keller@example.de';
    await t.composed.commands.ingest.events([
      {
        id: 'placed-DE-77',
        type: 'order.placed',
        at: T0,
        customerId,
        orderId: 'DE-77',
        customer: { customerId, email, firstName: 'Jonas', locale: 'de-DE', timezone: 'Europe/Berlin' },
        order: { placedAt: T0, currency: 'USD', total: 10, items: [] },
        data: {},
      },
    ]);
    const token = t.composed.linkTokens.issue({
      purpose: 'preferences',
      customerId,
      touchPointId: null,
      orderId: null,
      expiresAt: t.clock.now() + 30 * DAY,
    });
    const page = await (await fetch(`${base}/preferences/${token}`)).text();
    assert.match(page, /Möchten Sie unseren Newsletter erhalten/);
    const action = /action="([^"]*\/list)"/.exec(page)?.[1] ?? '';
    const res = await fetch(`${base}${action}`, form({}));
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Wir haben Ihnen eine E-Mail gesendet/);
    const mail = mailsTo(email).at(-1)!;
    const confirmUrl = links(mail).find((l) => l.startsWith(`${PUBLIC}/list/confirm/`))!;
    const confirm = await fetch(local(confirmUrl), form({}));
    assert.equal(confirm.status, 200);

    const exported = await t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/export` });
    assert.equal(exported.statusCode, 200);
    const list = exported.json<{
      mailingList: { status: string; requestSource: string; consent: unknown }[];
    }>().mailingList;
    assert.equal(list.length, 1);
    assert.equal(list[0]!.status, 'confirmed');
    assert.equal(list[0]!.requestSource, 'preferences');
    assert.ok(list[0]!.consent, 'the proof of consent is exported');

    const erased = await t.call({ method: 'DELETE', url: `/api/v1/customers/${customerId}` });
    assert.equal(erased.statusCode, 200);
    assert.equal(erased.json<{ listSubscriptionsRemoved: number }>().listSubscriptionsRemoved, 1);
    assert.equal(await t.store.mailingList.findByEmail(email), null);
  });

  test('API sign-up sends the confirmation mail; an unconfirmed address stays off the list', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/list/subscriptions',
      payload: { email: 'clara@example.es', locale: 'es-ES', timezone: 'Europe/Madrid' },
    });
    assert.equal(res.statusCode, 202, res.body);
    const body = res.json<{ outcome: string; subscription: { status: string } }>();
    assert.equal(body.outcome, 'confirmation_sent');
    assert.equal(body.subscription.status, 'pending');
    assert.match(mailsTo('clara@example.es')[0]?.parsed.subject ?? '', /Por favor, confirme/);
    const again = await t.call({
      method: 'POST',
      url: '/api/v1/list/subscriptions',
      payload: { email: 'clara@example.es' },
    });
    assert.equal(again.json<{ outcome: string }>().outcome, 'rate_limited');
    const bad = await t.call({ method: 'POST', url: '/api/v1/list/subscriptions', payload: { email: 'x' } });
    assert.equal(bad.statusCode, 400);
  });
});

describe('two workers racing over PostgreSQL', () => {
  test('every confirmed subscriber gets the digest exactly once', async () => {
    const smtp = await smtpReceiver();
    const t = await openTestApp({ ...ENV, SMTP_URL: smtp.url }, { store: 'postgres' });
    try {
      const emails = Array.from({ length: 12 }, (_, i) => `reader${i}@example.com`);
      for (const email of emails) {
        const signed = await t.composed.commands.mailingList.signUp({ email, source: 'api' });
        assert.ok(signed.ok);
        await t.composed.commands.mailingList.confirm(signed.subscriber.id, { ip: null, userAgent: null });
      }
      t.clock.set(T0 + HOUR);
      await t.composed.commands.mailingList.addNews({ title: 'Hello', body: 'News.' });
      t.clock.set(T0 + 2 * HOUR);
      const deps = digestDeps(t);
      // Two workers, each without the cluster lock, in the same instant: the claims decide.
      const reports = await Promise.all([
        runDigest({ ...deps, pageSize: 5 }, t.clock.now()),
        runDigest({ ...deps, pageSize: 5 }, t.clock.now()),
      ]);
      assert.equal(reports[0].sent + reports[1].sent, emails.length);
      const digests = smtp.mails.filter((m) => m.parsed.subject === 'News from Lumen Lamps');
      assert.deepEqual(digests.map((m) => m.to[0]).sort(), [...emails].sort());
      // A later tick in the same period sends nothing more.
      const later = await runDigest(deps, t.clock.now() + HOUR);
      assert.equal(later.sent, 0);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
