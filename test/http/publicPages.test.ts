// The public pages over real HTTP, reached through the links of real e-mails: the one-click
// unsubscribe of RFC 8058 as Gmail sends it, scanners that open every link and change nothing,
// tampered, expired and rotated tokens, a survey answered and changed, preferences saved, and the
// plan in the customer's language and zone with its calendar file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventType, StoredEvent } from '../../src/core/domain.js';
import { temperatureOf } from '../../src/core/listening/temperature.js';
import { LinkTokens } from '../../src/engine/links/token.js';
import { DAY, HOUR } from './harness.js';
import { ADA, CHIARA, JONAS, OLD_SECRET, SECRET, openPublicWorld, type PublicWorld } from './publicWorld.js';

let w: PublicWorld;
before(async () => {
  w = await openPublicWorld();
});
after(() => w.close());

const ADA_ID = 'cus-GB-1001';
const JONAS_ID = 'cus-DE-2001';
const CHIARA_ID = 'cus-US-3001';

async function events(customerId: string, type: EventType): Promise<StoredEvent[]> {
  return (await w.t.composed.commands.customers.timeline(customerId, [type])) ?? [];
}

function form(fields: [string, string][]): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

/** The token of a link with one character changed (still base64url). */
/** The URL in a mail's List-Unsubscribe header (unfolded), and its List-Unsubscribe-Post. */
function listUnsubscribe(mail: PublicWorld['mails'][number]): { url: string; post: string } {
  const line = (key: string): string =>
    (mail.parsed.headerLines.find((h) => h.key === key)?.line ?? '').replace(/\r\n[ \t]+/g, ' ');
  const url = /^List-Unsubscribe: <([^>]+)>$/i.exec(line('list-unsubscribe'))?.[1] ?? '';
  return { url, post: line('list-unsubscribe-post').replace(/^List-Unsubscribe-Post: /i, '') };
}

function tampered(url: string): string {
  const u = new URL(url);
  const parts = u.pathname.split('/');
  const token = parts[2]!;
  const i = Math.floor(token.length / 2);
  parts[2] = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
  return `${w.base}${parts.join('/')}${u.search}`;
}

describe('public pages over HTTP', () => {
  test('mails carry signed links only, and List-Unsubscribe is the signed /u link', () => {
    assert.ok(
      w.mails.some((m) => m.to === CHIARA),
      'every customer has mail',
    );
    for (const mail of w.mails) {
      for (const link of mail.links) {
        const path = new URL(link).pathname;
        assert.match(path, /^\/(u|s|plan|preferences|tips)\/[A-Za-z0-9_-]{40,}$|^\/help$/, link);
        for (const id of ['GB-1001', 'DE-2001', 'US-3001', 'reassure', 'cus-']) assert.ok(!link.includes(id));
      }
      const { url, post } = listUnsubscribe(mail);
      assert.match(url, /^https:\/\/care\.lumen\.example\/u\/[A-Za-z0-9_-]+$/);
      assert.equal(post, 'List-Unsubscribe=One-Click');
    }
  });

  test('scanners (HEAD and GET on every link of every mail) change nothing', async () => {
    const before = await w.t.composed.commands.customers.get(ADA_ID);
    for (const mail of w.mails) {
      for (const link of mail.links) {
        for (const method of ['HEAD', 'GET']) {
          const response = await fetch(w.local(link), { method });
          assert.equal(response.status, 200, `${method} ${link}`);
          await response.arrayBuffer();
        }
      }
    }
    for (const id of [ADA_ID, JONAS_ID, CHIARA_ID]) {
      const customer = await w.t.composed.commands.customers.get(id);
      assert.equal(customer?.unsubscribedAt, null);
      assert.deepEqual(customer?.preferences, before?.preferences);
      assert.equal((await events(id, 'survey.answered')).length, 0);
      assert.equal((await events(id, 'customer.unsubscribed')).length, 0);
    }
  });

  test("a real mail's List-Unsubscribe, POSTed one-click as Gmail does, unsubscribes at once (200)", async () => {
    const mail = w.mails.find((m) => m.to === ADA && m.parsed.subject?.startsWith('Thank you'))!;
    const url = w.local(listUnsubscribe(mail).url);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /unsubscribed/);
    const customer = await w.t.composed.commands.customers.get(ADA_ID);
    assert.equal(customer?.unsubscribedAt, w.t.clock.now());
    // Again, and as multipart (some providers): still one event for this touch point.
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    assert.equal((await fetch(url, { method: 'POST', body: multipart })).status, 200);
    const recorded = await events(ADA_ID, 'customer.unsubscribed');
    assert.equal(recorded.length, 1);
    assert.deepEqual(recorded[0]!.data, { source: 'one-click', touchPointId: 'reassure:GB-1001:thank-you' });
  });

  test('the unsubscribe page explains, and its button unsubscribes with a confirmation', async () => {
    const link = w.local(w.link(ADA, '/u/', 'usage-tips'));
    const page = await (await fetch(link)).text();
    assert.match(page, /<html lang="en">/);
    assert.match(page, /order confirmations, shipping and delivery updates/);
    assert.match(page, /You are already unsubscribed/);
    const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
    const confirmed = await fetch(`${w.base}${action}`, form([['confirm', 'page']]));
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /<h1>You are unsubscribed<\/h1>/);
    const recorded = await events(ADA_ID, 'customer.unsubscribed');
    assert.deepEqual(
      recorded.map((e) => e.data),
      [
        { source: 'one-click', touchPointId: 'reassure:GB-1001:thank-you' },
        { source: 'page', touchPointId: 'reassure:GB-1001:usage-tips' },
      ],
    );
  });

  test('a tampered token is a plain 404 that shows nothing of anyone', async () => {
    for (const link of [w.link(JONAS, '/u/'), w.link(JONAS, '/plan/'), w.link(JONAS, '/s/')]) {
      for (const init of [{}, form([['List-Unsubscribe', 'One-Click']])]) {
        if (init.method === 'POST' && link.includes('/plan/')) continue;
        const response = await fetch(tampered(link), init);
        assert.equal(response.status, 404, link);
        const body = await response.text();
        for (const secret of ['Jonas', 'Müller', 'DE-2001', 'nordlicht', '4800', 'Europe/Berlin'])
          assert.ok(!body.includes(secret), `${secret} in a 404`);
        assert.match(body, /Link not found/);
      }
    }
    assert.equal((await w.t.composed.commands.customers.get(JONAS_ID))?.unsubscribedAt, null);
    // Another page's token does not open this one.
    const plan = new URL(w.link(JONAS, '/plan/')).pathname.split('/')[2]!;
    assert.equal((await fetch(`${w.base}/u/${plan}`)).status, 404);
  });

  test('rotation: a link made with the previous secret still works; one with an unknown secret does not', async () => {
    const claims = {
      purpose: 'preferences' as const,
      customerId: CHIARA_ID,
      touchPointId: null,
      orderId: null,
      expiresAt: w.t.clock.now() + 30 * DAY,
    };
    const old = new LinkTokens({ current: OLD_SECRET, previous: [] }).issue(claims);
    assert.equal((await fetch(`${w.base}/preferences/${old}`)).status, 200);
    const unknown = LinkTokens.ephemeral().issue(claims);
    assert.equal((await fetch(`${w.base}/preferences/${unknown}`)).status, 404);
  });

  test("a well-signed link naming another customer's touch point, or none, is a plain 404", async () => {
    const tokens = new LinkTokens({ current: SECRET, previous: [] });
    const token = new URL(w.link(JONAS, '/s/', 'checkin-week')).pathname.split('/')[2]!;
    const check = tokens.verify(token, w.t.clock.now());
    assert.equal(check.status, 'valid');
    const claims = check.status === 'valid' ? check.claims : assert.fail('the survey link does not verify');
    // Re-sealed as it is, it opens the page: the 404s below are the touch point's.
    assert.equal((await fetch(`${w.base}/s/${tokens.issue(claims)}`)).status, 200);
    for (const other of [
      { ...claims, customerId: CHIARA_ID },
      { ...claims, touchPointId: null },
    ]) {
      const response = await fetch(`${w.base}/s/${tokens.issue(other)}`);
      assert.equal(response.status, 404, JSON.stringify(other));
      const body = await response.text();
      assert.match(body, /Link not found/);
      assert.ok(!body.includes('Jonas'), 'Jonas in a 404');
    }
  });

  test('survey: the score is preselected, the answer recorded, a changed answer replaces it (German)', async () => {
    const four = w.link(JONAS, '/s/', 'checkin-week').replace(/\?score=\d+$/, '?score=4');
    const page = await (await fetch(w.local(four))).text();
    assert.match(page, /<html lang="de">/);
    assert.match(page, /Wie zufrieden sind Sie bisher mit Ihrem Kauf\?/);
    assert.match(page, /value="4" required checked/);
    assert.equal((page.match(/type="radio"/g) ?? []).length, 5, 'CSAT 1-5');
    const action = `${w.base}${/<form method="post" action="([^"]+)"/.exec(page)![1]!}`;

    const bad = await fetch(action, form([['score', '9']]));
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Bewertung von 1 bis 5/);

    const first = await fetch(
      action,
      form([
        ['score', '4'],
        ['comment', 'Läuft gut, Montage war einfach.'],
      ]),
    );
    assert.equal(first.status, 200);
    assert.match(await first.text(), /Vielen Dank/);
    w.t.clock.advance(HOUR);
    const second = await fetch(
      action,
      form([
        ['score', '2'],
        ['comment', ''],
      ]),
    );
    assert.equal(second.status, 200);

    const answers = await events(JONAS_ID, 'survey.answered');
    assert.deepEqual(
      answers.map((e) => e.data),
      [
        {
          survey: 'csat',
          score: 4,
          comment: 'Läuft gut, Montage war einfach.',
          touchPointId: 'reassure:DE-2001:checkin-week',
          source: 'page',
        },
        {
          survey: 'csat',
          score: 2,
          comment: null,
          touchPointId: 'reassure:DE-2001:checkin-week',
          source: 'page',
        },
      ],
    );
    const reading = temperatureOf(
      { events: answers, touchPoints: [], concerns: [], orders: [] },
      w.t.clock.now(),
    );
    assert.deepEqual(
      reading.reasons.map((r) => r.why).filter((why) => /satisfaction/.test(why)),
      ['rated their satisfaction 2 out of 5'],
      'the latest answer counts',
    );
  });

  test('preferences: chosen, saved, applied to the customer and shown (Italian falls back to English)', async () => {
    const link = w.local(w.link(CHIARA, '/u/'));
    const unsubscribePage = await (await fetch(link)).text();
    const prefsHref = /href="(\/preferences\/[^"]+)"/.exec(unsubscribePage)![1]!;
    const page = await (await fetch(`${w.base}${prefsHref}`)).text();
    assert.match(page, /<html lang="en">/);
    assert.equal((page.match(/type="checkbox"[^>]* checked/g) ?? []).length, 6, 'everything on');
    assert.match(page, /not optional and always come/);

    const bad = await fetch(`${w.base}${prefsHref}`, form([['topic', 'gossip']]));
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /&quot;gossip&quot; is not a choice for Topics/);

    const now = w.t.clock.now();
    const saved = await fetch(
      `${w.base}${prefsHref}`,
      form([
        ['form', 'preferences'],
        ['topic', 'checkins'],
        ['topic', 'education'],
        ['channel', 'email'],
        ['pause', '30d'],
      ]),
    );
    assert.equal(saved.status, 200);
    const shown = await saved.text();
    assert.match(shown, /Saved\./);
    assert.match(shown, /id="topic-offers" name="topic" value="offers">/, 'offers shown off');
    assert.match(shown, /id="topic-checkins" name="topic" value="checkins" checked>/);
    assert.match(shown, /value="keep" checked> Keep my break until/);
    const customer = await w.t.composed.commands.customers.get(CHIARA_ID);
    assert.deepEqual(customer?.preferences, {
      topicsOff: ['offers', 'news'],
      channelsOff: ['sms'],
      pausedUntil: now + 30 * DAY,
    });
    const recorded = await events(CHIARA_ID, 'customer.preferences_changed');
    assert.deepEqual(
      recorded.map((e) => e.data),
      [{ topicsOff: ['offers', 'news'], channelsOff: ['sms'], pausedUntil: now + 30 * DAY, source: 'page' }],
    );
  });

  test("the plan shows what happened and what comes next in the customer's language and zone", async () => {
    const page = await (await fetch(w.local(w.link(JONAS, '/plan/')))).text();
    assert.match(page, /<html lang="de">/);
    // The number the customer knows, never the internal id.
    assert.match(page, /Bestellung #10442, aufgegeben am 1\. Juni 2026/);
    assert.ok(!page.includes('DE-2001'));
    assert.match(page, /Zeiten in Ihrer Zeitzone \(Europe\/Berlin\)/);
    // Sent at 12:00 UTC on 2 June: 14:00 in Berlin (summer time).
    assert.match(
      page,
      /Eine Dankes-E-Mail mit den nächsten Schritten <span class="when">\(gesendet am Dienstag, 2\. Juni 2026 um 1\d:00\)/,
    );
    // The check-up meeting: 45 days after delivery (3 June) at 10:00 Berlin time.
    assert.match(
      page,
      /Ein Termin, um gemeinsam zu prüfen, wie alles läuft <span class="when">\(geplant für Samstag, 18\. Juli 2026 um 10:00\)/,
    );
    assert.match(page, /<h2>Termine<\/h2>/);
    // Reps' own work (the arrival call, the letter, the gift) is not the customer's plan.
    for (const hidden of ['Anruf von uns', 'arrival-call', 'thank-you-letter', 'Geschenk'])
      assert.ok(!page.includes(hidden), hidden);
    assert.match(page, /mailto:dana@lumen\.example/);
    assert.match(page, /href="\/preferences\/[A-Za-z0-9_-]+"/);

    const ada = await (await fetch(w.local(w.link(ADA, '/plan/')))).text();
    assert.match(ada, /<html lang="en">/);
    // No number from the shop: the order is named by its day, not by the internal id.
    assert.match(ada, /Your order, placed /);
    assert.ok(!ada.includes('GB-1001'));
    assert.match(ada, /You are unsubscribed: only messages about your order come/);
    assert.ok(!ada.includes('A check-in after a month'), 'optional steps no longer planned for her');
  });

  test('the meetings calendar is a valid VCALENDAR that parses back', async () => {
    const page = await (await fetch(w.local(w.link(JONAS, '/plan/')))).text();
    const href = /href="(\/plan\/[^"]+\/meetings\.ics)"/.exec(page)![1]!;
    const response = await fetch(`${w.base}${href}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/calendar/);
    const lines = (await response.text())
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .filter(Boolean);
    const stack: string[] = [];
    const events: Record<string, string>[] = [];
    for (const line of lines) {
      const colon = line.indexOf(':');
      assert.ok(colon > 0, `a content line: ${line}`);
      const [name, value] = [line.slice(0, colon), line.slice(colon + 1)];
      if (name === 'BEGIN') {
        stack.push(value);
        if (value === 'VEVENT') events.push({});
      } else if (name === 'END') assert.equal(stack.pop(), value);
      else if (stack.at(-1) === 'VEVENT') events.at(-1)![name.split(';')[0]!] = value;
    }
    assert.equal(stack.length, 0, 'every BEGIN has its END');
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    assert.ok(lines.includes('VERSION:2.0'));
    assert.equal(events.length, 1);
    assert.equal(events[0]!['DTSTART'], '20260718T080000Z');
    assert.equal(events[0]!['DTEND'], '20260718T090000Z');
    assert.equal(events[0]!['SUMMARY'], 'Termin mit Lumen Lamps');
    assert.match(events[0]!['UID'] ?? '', /^[0-9a-f]{32}@care\.lumen\.example$/);
  });

  test("help names support and escalation, in the browser's language", async () => {
    const en = await fetch(`${w.base}/help`);
    assert.equal(en.status, 200);
    const text = await en.text();
    assert.match(text, /help@lumen\.example/);
    assert.match(text, /Dana Reyes/);
    const de = await (
      await fetch(`${w.base}/help`, { headers: { 'accept-language': 'de-CH,de;q=0.9,en;q=0.5' } })
    ).text();
    assert.match(de, /Hilfe und Kontakt/);
    const css = await fetch(`${w.base}/assets/pages.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  test('an expired link is a plain 410; the unsubscribe link outlives the survey link', async () => {
    const survey = w.local(w.link(JONAS, '/s/', 'checkin-week'));
    const unsubscribe = w.local(w.link(JONAS, '/u/', 'checkin-week'));
    w.t.clock.advance(31 * DAY);
    const expired = await fetch(survey);
    assert.equal(expired.status, 410);
    const body = await expired.text();
    assert.match(body, /Link expired/);
    assert.ok(!body.includes('Jonas') && !body.includes('DE-2001'));
    assert.equal((await fetch(survey, form([['score', '5']]))).status, 410);
    assert.equal((await fetch(unsubscribe)).status, 200, 'unsubscribe links live far longer');
  });
});
