// The dashboard's outbox over real HTTP: messages sent through a real SMTP server are listed newest
// first and previewed as they arrived (subject, text and HTML, with only the sealed link tokens
// differing, since there is no copy and the page composes them again); a message written to the
// e-mail outbox is shown from its .eml copy; filters and keyset pages; erased customers' messages
// are not shown.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { domainOf, messageIdFor } from '../../src/engine/message.js';
import { inertHtml } from '../../src/http/dashboard/outbox.js';
import { Client, USERS, openDashboardWorld, sendDue, type DashboardWorld } from './dashboardWorld.js';
import { DAY, T0 } from './harness.js';

const GRACE = 'cus-grace';
const TWICE = 'cus-twice';
let smtp: SMTPServer;
let smtpUrl: string;
const received: Buffer[] = [];
let w: DashboardWorld;
/** Touch points sent over SMTP, then those written to the outbox folder. */
let overSmtp: string[];
let toOutbox: string[];

function unescape(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The sealed token of every customer link: fresh on each composition, the rest is the message. */
function withoutTokens(text: string): string {
  return text.replace(/\/(u|preferences|plan|s|tips)\/[A-Za-z0-9_-]{16,}/g, '/$1/TOKEN');
}

function part(page: string, pattern: RegExp): string {
  const found = pattern.exec(page)?.[1];
  assert.ok(found !== undefined, `${String(pattern)} on the page`);
  return unescape(found);
}

/** Every page of a listing, following its Next links. */
async function allPages(client: Client, path: string): Promise<string[]> {
  const pages = [await (await client.request('GET', path)).text()];
  for (;;) {
    const next = /<a href="(\/dashboard\/outbox\?[^"]*after=[^"]+)">Next 25<\/a>/.exec(pages.at(-1)!)?.[1];
    if (next === undefined) return pages;
    pages.push(await (await client.request('GET', unescape(next))).text());
  }
}

async function signedIn(role: keyof typeof USERS): Promise<Client> {
  const client = new Client(w.base);
  assert.equal((await client.signIn(USERS[role])).status, 303);
  return client;
}

before(async () => {
  smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback(null, 'queued');
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  w = await openDashboardWorld({ env: { SMTP_URL: smtpUrl } });
  // Two orders of one customer at once: one message answers both (its other order a rider).
  await w.t.composed.commands.ingest.events(
    ['two-1', 'two-2'].map((orderId) => ({
      id: `placed-${orderId}`,
      type: 'order.placed' as const,
      at: T0,
      customerId: TWICE,
      orderId,
      customer: { customerId: TWICE, email: 'twice@example.com', firstName: 'Tess' },
      order: { placedAt: T0, currency: 'GBP', total: 35, number: `#${orderId}` },
      data: {},
    })),
  );
  w.t.clock.set(T0 + 2 * DAY);
  overSmtp = await sendDue(w, smtpUrl);
  // Thirty more customers, whose thank-yous go to the outbox folder (no SMTP for this sender).
  await w.t.composed.commands.ingest.events(
    Array.from({ length: 30 }, (_, i) => ({
      id: `placed-bulk-${i}`,
      type: 'order.placed' as const,
      at: T0 + 2 * DAY,
      customerId: `cus-bulk-${i}`,
      orderId: `bulk-${i}`,
      customer: { customerId: `cus-bulk-${i}`, email: `bulk${i}@example.com`, firstName: `Bulk${i}` },
      order: { placedAt: T0 + 2 * DAY, currency: 'GBP', total: 20, number: `#bulk-${i}` },
      data: {},
    })),
  );
  w.t.clock.set(T0 + 4 * DAY);
  toOutbox = await sendDue(w);
});
after(async () => {
  await w?.close();
  await new Promise<void>((resolve) => smtp.close(resolve));
});

describe('dashboard outbox', () => {
  test('a message sent over SMTP is previewed as it arrived, composed again and saying so', async () => {
    assert.ok(received.length >= 2, 'mail arrived');
    const twice = (await w.t.composed.commands.touchPoints.list({ customerId: TWICE })).filter(
      (tp) => tp.reason?.code === 'coalesced',
    );
    assert.ok(twice.length > 0, 'one of her two orders rode along with the other');
    const client = await signedIn('manager');
    const domain = domainOf(w.t.config.business.fromEmail);
    for (const raw of received) {
      const mail: ParsedMail = await simpleParser(raw);
      const id = overSmtp.find((candidate) => messageIdFor(candidate, domain) === mail.messageId);
      assert.ok(id, `the touch point of ${mail.messageId}`);
      const response = await client.request('GET', `/dashboard/outbox/${encodeURIComponent(id)}`);
      assert.equal(response.status, 200);
      const page = await response.text();
      assert.match(page, /No copy of this message was kept/);
      assert.match(page, /rendered again/);
      assert.equal(part(page, /<h2 id="subject">Subject<\/h2><p>([^<]*)<\/p>/), mail.subject);
      assert.equal(
        withoutTokens(part(page, /<h2 id="text">Text part<\/h2><div class="script">([^<]*)<\/div>/)),
        withoutTokens(mail.text ?? '').replace(/\n$/, ''),
      );
      assert.ok(typeof mail.html === 'string', 'an HTML part arrived');
      const shown = part(page, /<iframe class="mail" sandbox="" title="The HTML part" srcdoc="([^"]*)"/);
      assert.equal(withoutTokens(shown), withoutTokens(inertHtml(mail.html)));
      assert.doesNotMatch(shown, /<script|href=/i, 'no script and no live link in the preview');
    }
  });

  test('a message written to the outbox folder is shown from its .eml copy', async () => {
    const client = await signedIn('owner');
    const id = toOutbox[0]!;
    const touchPoint = await w.t.composed.commands.touchPoints.get(id);
    assert.equal(touchPoint?.channel, 'email');
    const page = await (await client.request('GET', `/dashboard/outbox/${encodeURIComponent(id)}`)).text();
    assert.match(page, /This is the copy written when it was sent/);
    const copy = await simpleParser(
      await readFile(/the e-mail outbox, ([^)]+\.eml)\)/.exec(page)?.[1] ?? 'missing'),
    );
    assert.equal(part(page, /<h2 id="subject">Subject<\/h2><p>([^<]*)<\/p>/), copy.subject);
    assert.equal(
      part(page, /<h2 id="text">Text part<\/h2><div class="script">([^<]*)<\/div>/),
      copy.text ?? '',
    );
    assert.match(copy.text ?? '', /\/u\/[A-Za-z0-9_-]{16,}/, 'the copy keeps the links it was sent with');
  });

  test('the list is newest first in the user zone, filtered by channel and step, paged by keyset', async () => {
    const client = await signedIn('manager');
    const first = await (await client.request('GET', '/dashboard/outbox')).text();
    assert.match(first, /Times in Europe\/London/);
    const rows = [...first.matchAll(/<tr><td>(\d{4}-\d{2}-\d{2} \d{2}:\d{2})<\/td>/g)].map((m) => m[1]!);
    assert.equal(rows.length, 25, 'a page of 25');
    assert.deepEqual([...rows].sort().reverse(), rows, 'newest first');
    // Every page in turn, by the Next link: each message once.
    const pages = await allPages(client, '/dashboard/outbox');
    const seen = pages.flatMap((page) =>
      [...page.matchAll(/href="\/dashboard\/outbox\/([^"]+)"/g)].map((m) => m[1]!),
    );
    assert.ok(pages.length >= 2, 'more than one page');
    assert.equal(new Set(seen).size, seen.length, 'no message twice');
    assert.equal(seen.length, overSmtp.length + toOutbox.length, 'every message sent');
    const second = pages[1]!;
    assert.match(second, /Back to the newest/);

    const calls = await (await client.request('GET', '/dashboard/outbox?channel=task%3Acall')).text();
    assert.doesNotMatch(calls, /<td>email<\/td>/);
    const emails = await (await client.request('GET', '/dashboard/outbox?channel=email')).text();
    assert.doesNotMatch(emails, /<td>task:/);
    const step = (await w.t.composed.commands.touchPoints.get(toOutbox[0]!))!.stepKey;
    const byStep = await (
      await client.request('GET', `/dashboard/outbox?step=${encodeURIComponent(step)}`)
    ).text();
    const steps = [...byStep.matchAll(/<td>([^<]+)<br><span class="muted">[^<]+ v\d+<\/span><\/td>/g)].map(
      (m) => m[1],
    );
    assert.ok(steps.length > 0 && steps.every((s) => s === step), steps.join(', '));

    assert.equal((await client.request('GET', '/dashboard/outbox?channel=pigeon')).status, 400);
    assert.equal((await client.request('GET', '/dashboard/outbox?after=garbage')).status, 400);
    assert.equal((await client.request('GET', '/dashboard/outbox/no-such-message')).status, 404);
    // The order that rode along was not sent itself: it is skipped (coalesced), not in the outbox.
    const [waiting] = (await w.t.composed.commands.touchPoints.list({ customerId: TWICE })).filter(
      (tp) => tp.status !== 'sent',
    );
    assert.ok(waiting, 'a touch point not sent');
    const notSent = await client.request('GET', `/dashboard/outbox/${encodeURIComponent(waiting.id)}`);
    assert.equal(notSent.status, 404);
    assert.match(await notSent.text(), /was not sent: only sent messages are in the outbox/);
  });

  test("an erased customer's messages are not shown, in the list or as a preview", async () => {
    const client = await signedIn('owner');
    const [sent] = (
      await w.t.composed.commands.touchPoints.list({ customerId: GRACE, status: 'sent' })
    ).filter((tp) => tp.channel === 'email');
    assert.ok(sent, 'Grace was sent an e-mail');
    const path = `/dashboard/outbox/${encodeURIComponent(sent.id)}`;
    assert.equal((await client.request('GET', path)).status, 200);
    const erased = await w.t.composed.commands.privacy.eraseCustomer(GRACE);
    assert.equal(erased.ok, true);
    const refused = await client.request('GET', path);
    assert.equal(refused.status, 422);
    assert.match(await refused.text(), /erased: their messages are not shown/);
    const list = (await allPages(client, '/dashboard/outbox?channel=email')).join('\n');
    assert.doesNotMatch(list, /grace\.hopper/);
    assert.match(list, /erased customer/);
    assert.ok(!list.includes(`href="${path}"`), 'no preview link');
  });
});
