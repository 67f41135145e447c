// The plan before the close, end to end on the virtual clock and over real HTTP: a salesperson
// creates a deal for Jonas (B2B, Berlin, German), agrees a check-up meeting date, and hands out
// the proposal links; Jonas opens the proposed plan, its calendar file and the one-pager as a
// prospect would. His order arrives two weeks later with his address: the deal closes, his
// program carries the meetings at the agreed dates, and the touch points go out through a real
// SMTP server. A lost deal tells nobody anything; a promise the order's program cannot keep
// becomes a concern.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { smtpReceiver, type SmtpReceiver } from '../../src/channels/staffServers.test-helpers.js';
import { DAY, HOUR, T0, dispatcherFor, openTestApp, type TestApp } from './harness.js';

const SECRET = 'Vq3+pN8sK2xR7tY1wZ5mB9cF4hJ6lD0gA-deals-link-secret';
const JONAS = 'jonas.mueller@nordlicht-gmbh.example';
const CLOSE = T0 + 14 * DAY;
/** Agreed with Jonas: the check-up on Friday 31 July 2026, 14:00 in Berlin. */
const AGREED = DateTime.fromISO('2026-07-31T14:00:00', { zone: 'Europe/Berlin' }).toMillis();

let t: TestApp;
let smtp: SmtpReceiver;
let base: string;

before(async () => {
  smtp = await smtpReceiver();
  t = await openTestApp({
    SMTP_URL: smtp.url,
    AFTERCARE_SECRET: SECRET,
    AFTERCARE_PUBLIC_URL: 'https://care.lumen.example',
    AFTERCARE_BUSINESS_NAME: 'Lumen Lamps',
    AFTERCARE_SUPPORT_EMAIL: 'help@lumen.example',
    AFTERCARE_ESCALATION_NAME: 'Dana Reyes',
    AFTERCARE_ESCALATION_EMAIL: 'dana@lumen.example',
    AFTERCARE_FREQUENCY_CAP: '20/7d',
  });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await t.close();
  await smtp.close();
});

/** A link made for AFTERCARE_PUBLIC_URL, pointed at the listening app. */
const local = (url: string): string => {
  const u = new URL(url);
  return `${base}${u.pathname}${u.search}`;
};

interface MeetingJson {
  step: string;
  at: string;
  state: string;
  objective: string;
}
interface DealJson {
  id: string;
  stage: string;
  meetings: MeetingJson[];
  promised: { step: string; state: string }[];
  plan: { steps: { step: string }[] };
  sharedAt: string | null;
  orderId: string | null;
}
interface LinksJson {
  plan: string;
  calendar: string;
  onePager: string;
}
interface ListJson<T> {
  items: T[];
}

async function api<T = DealJson>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...t.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

interface CalendarEvent {
  uid: string;
  start: number;
  summary: string;
  description: string;
}

/** The VEVENTs of an .ics file (RFC 5545: unfolded lines, UTC times), as a calendar reads them. */
function parseIcs(text: string): CalendarEvent[] {
  assert.match(text, /^BEGIN:VCALENDAR\r\n/);
  const lines = text.replace(/\r\n[ \t]/g, '').split(/\r\n/);
  const events: CalendarEvent[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT' && current) {
      const start = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(current['DTSTART'] ?? '');
      assert.ok(start, `a UTC start: ${current['DTSTART']}`);
      const [y, mo, d, h, mi, s] = start.slice(1).map(Number);
      events.push({
        uid: current['UID'] ?? '',
        start: Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s),
        summary: current['SUMMARY'] ?? '',
        description: (current['DESCRIPTION'] ?? '').replace(/\\,/g, ',').replace(/\\n/g, '\n'),
      });
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).split(';')[0]!;
      current[name] = line.slice(colon + 1);
    }
  }
  return events;
}

const dealInput = (overrides: Record<string, unknown> = {}) => ({
  company: 'Nordlicht GmbH',
  contact: { email: JONAS, name: 'Jonas Müller', locale: 'de-DE', timeZone: 'Europe/Berlin' },
  owner: 'sam',
  expectedCloseAt: new Date(CLOSE).toISOString(),
  value: { amount: 24_000, currency: 'EUR' },
  segment: 'b2b',
  kind: 'software',
  products: ['Lichtsteuerung Fleet'],
  ...overrides,
});

describe('the plan before the close', () => {
  let dealId = '';
  let links: { plan: string; calendar: string; onePager: string };

  test('a deal gets the plan its order will get, with its meetings, timed from the expected close in Berlin', async () => {
    const created = await api('POST', '/deals', dealInput());
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const deal = created.json;
    dealId = deal.id;
    assert.equal(deal.stage, 'open');
    const steps = deal.plan.steps.map((s: { step: string }) => s.step);
    assert.ok(steps.includes('thank-you'));
    assert.ok(steps.includes('checkup-meeting'));
    const meetings = new Map(deal.meetings.map((m: { step: string; at: string }) => [m.step, m.at]));
    // Started at the close (software): the check-up 45 days on at 10:00 in Berlin.
    const startedBerlin = DateTime.fromMillis(CLOSE, { zone: 'Europe/Berlin' });
    assert.equal(
      meetings.get('checkup-meeting'),
      startedBerlin
        .plus({ days: 45 })
        .set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
        .toUTC()
        .toISO(),
    );
    assert.ok(meetings.has('arrival-call'), 'the B2B arrival call is a proposed call');
    // The silent-customer call depends on what Jonas does: shown as conditional, never promised.
    assert.ok(!meetings.has('silent-call'));
    const objective = deal.meetings.find((m) => m.step === 'checkup-meeting')?.objective ?? '';
    assert.match(objective, /check-up meeting/i);
  });

  test('the salesperson agrees a date for the check-up, and sees the deal in her list', async () => {
    const patched = await api('PATCH', `/deals/${dealId}`, {
      meetings: [{ step: 'checkup-meeting', at: DateTime.fromMillis(AGREED).toUTC().toISO() }],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    const mine = await api<ListJson<DealJson>>('GET', '/deals?owner=sam');
    assert.equal(mine.status, 200);
    const listed = mine.json.items.find((d: { id: string }) => d.id === dealId);
    assert.equal(
      listed?.meetings.find((m) => m.step === 'checkup-meeting')?.at,
      new Date(AGREED).toISOString(),
    );
    assert.equal((await api<ListJson<DealJson>>('GET', '/deals?owner=kim')).json.items.length, 0);
  });

  test('the prospect opens the proposed plan, its calendar file and the one-pager', async () => {
    const shared = await api<LinksJson>('POST', `/deals/${dealId}/share`);
    assert.equal(shared.status, 200);
    links = shared.json;
    assert.match(links.plan, /^https:\/\/care\.lumen\.example\/proposal\//);

    const page = await fetch(local(links.plan));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="de">/);
    assert.match(html, /Ihr vorgeschlagener Plan/);
    assert.match(html, /Vorschlag: /);
    assert.match(html, /Nordlicht GmbH/);
    assert.match(html, /31\. Juli 2026/);
    assert.match(html, /Wir prüfen gemeinsam/);
    // Every link on the page works for the prospect.
    for (const href of html.match(/href="([^"]+)"/g)!.map((h) => h.slice(6, -1).replace(/&amp;/g, '&'))) {
      if (href.startsWith('mailto:') || href.startsWith('tel:')) continue;
      const followed = await fetch(`${base}${href}`);
      assert.equal(followed.status, 200, href);
    }

    const ics = await fetch(local(links.calendar));
    assert.equal(ics.status, 200);
    assert.match(ics.headers.get('content-type') ?? '', /^text\/calendar/);
    const events = parseIcs(await ics.text());
    const deal = (await api('GET', `/deals/${dealId}`)).json;
    assert.equal(events.length, deal.meetings.length);
    const checkup = events.find((e) => e.start === AGREED);
    assert.ok(checkup, 'the agreed check-up is in the calendar at the agreed time');
    assert.equal(checkup.summary, 'Termin mit Lumen Lamps');
    assert.match(checkup.description, /Wir prüfen gemeinsam/);

    const onePager = await fetch(local(links.onePager));
    assert.equal(onePager.status, 200);
    assert.match(
      onePager.headers.get('content-disposition') ?? '',
      /attachment; filename="proposed-plan.html"/,
    );
    const sheet = await onePager.text();
    assert.match(sheet, /<style>/);
    assert.doesNotMatch(sheet, /<link|<script|src=/, 'self-contained: it fetches nothing');
    assert.match(sheet, /Ihr vorgeschlagener Plan/);

    assert.ok(deal.sharedAt !== null, 'handing the links out marks the plan shared');
    // Nothing was sent to the prospect: the proposal is what the salesperson hands over.
    assert.equal(smtp.mails.length, 0);
  });

  test('his order arrives: the deal closes, and his program carries the meetings at the agreed dates', async () => {
    t.clock.set(CLOSE);
    const placed = await api('POST', '/orders', {
      id: 'NL-5001',
      placedAt: new Date(CLOSE).toISOString(),
      customer: {
        email: 'Jonas.Mueller@nordlicht-gmbh.example',
        firstName: 'Jonas',
        lastName: 'Müller',
        locale: 'de-DE',
        timezone: 'Europe/Berlin',
        segment: 'b2b',
      },
      currency: 'EUR',
      total: 24_000,
      segment: 'b2b',
      kind: 'software',
      startedAt: new Date(CLOSE).toISOString(),
      items: [{ sku: 'FLEET', productName: 'Lichtsteuerung Fleet', quantity: 1, price: 24_000 }],
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.json));
    const report = await t.composed.commands.deals.reconcile();
    assert.deepEqual(report.closed, [{ dealId, orderId: 'NL-5001', by: 'email' }]);
    assert.equal(report.broken, 0);

    const deal = (await api('GET', `/deals/${dealId}`)).json;
    assert.equal(deal.stage, 'won');
    assert.equal(deal.orderId, 'NL-5001');
    assert.ok(
      deal.meetings.every((m: { state: string }) => m.state === 'kept'),
      JSON.stringify(deal.meetings),
    );
    assert.ok(
      deal.promised.every((p: { state: string }) => p.state === 'planned'),
      JSON.stringify(deal.promised),
    );

    const touchPoints = (
      await api<ListJson<{ stepKey: string; dueAt: string; customerId: string }>>(
        'GET',
        '/touch-points?orderId=NL-5001&limit=100',
      )
    ).json.items;
    const dueOf = (step: string) => touchPoints.find((tp: { stepKey: string }) => tp.stepKey === step)?.dueAt;
    assert.equal(dueOf('checkup-meeting'), new Date(AGREED).toISOString());
    for (const meeting of deal.meetings) assert.equal(dueOf(meeting.step), meeting.at, meeting.step);
    assert.equal(
      (await api<ListJson<unknown>>('GET', `/concerns?customerId=${touchPoints[0]!.customerId}`)).json.items
        .length,
      0,
    );

    // The proposal has done its work: the customer's own plan comes with their messages.
    assert.equal((await fetch(local(links.plan))).status, 410);
    // A second pass changes nothing.
    assert.deepEqual(await t.composed.commands.deals.reconcile(), { closed: [], kept: 0, broken: 0 });
  });

  test('the touch points go out, and the plan in his mail shows the agreed check-up', async () => {
    const { dispatcher, channels } = dispatcherFor(t, smtp.url);
    const runUntil = async (end: number): Promise<void> => {
      for (let at = t.clock.now(); at <= end; at += 6 * HOUR) {
        t.clock.set(at);
        await dispatcher.runUntilIdle();
      }
    };
    try {
      await runUntil(CLOSE + 2 * DAY);
      const toJonas = smtp.mails.filter((m) => m.to.includes(JONAS));
      assert.ok(toJonas.length >= 1, `mails to Jonas: ${toJonas.length}`);
      const plan = (toJonas[0]!.parsed.text ?? '').match(/https:\/\/care\.lumen\.example\/plan\/[^\s<>)"]+/);
      assert.ok(plan, 'the thank-you carries his plan');
      const page = await (await fetch(local(plan[0]))).text();
      assert.match(page, /31\. Juli 2026/);
      const calendar = parseIcs(await (await fetch(local(`${plan[0]}/meetings.ics`))).text());
      assert.deepEqual(
        calendar.map((e) => e.start),
        [AGREED],
      );
      const calls = await t.composed.commands.tasks.list({ status: 'open' });
      assert.ok(
        calls.some((task) => task.kind === 'call' && task.orderId === 'NL-5001'),
        'the arrival call went to a person',
      );

      await runUntil(AGREED + HOUR);
    } finally {
      await channels.close();
    }
    const tasks = await t.composed.commands.tasks.list({ status: 'open' });
    const meeting = tasks.find((task) => task.kind === 'meeting' && task.orderId === 'NL-5001');
    assert.ok(meeting, 'the check-up meeting became a task for the account manager');
    assert.equal(meeting.dueAt, AGREED);
  });

  test('a lost deal ends its plan and tells nobody anything', async () => {
    const mailsBefore = smtp.mails.length;
    const created = await api(
      'POST',
      '/deals',
      dealInput({
        company: 'Polar AG',
        contact: { email: 'ines@polar-ag.example', name: 'Ines Berg', locale: 'de' },
        expectedCloseAt: new Date(t.clock.now() + 10 * DAY).toISOString(),
      }),
    );
    assert.equal(created.status, 201);
    const shared = await api<LinksJson>('POST', `/deals/${created.json.id}/share`);
    assert.equal((await fetch(local(shared.json.plan))).status, 200);
    const lost = await api('PATCH', `/deals/${created.json.id}`, { stage: 'lost' });
    assert.equal(lost.json.stage, 'lost');
    const page = await fetch(local(shared.json.plan));
    assert.equal(page.status, 410);
    assert.match(await page.text(), /nicht mehr offen/);
    assert.equal((await fetch(local(shared.json.calendar))).status, 410);
    // An order from the same company later does not revive it.
    await api('POST', '/orders', {
      id: 'PO-1',
      placedAt: new Date(t.clock.now()).toISOString(),
      customer: { email: 'ines@polar-ag.example' },
      total: 10,
      currency: 'EUR',
    });
    assert.deepEqual((await t.composed.commands.deals.reconcile()).closed, []);
    assert.equal(smtp.mails.length, mailsBefore);
    assert.equal((await api('PATCH', `/deals/${created.json.id}`, { stage: 'open' })).status, 409);
  });

  test('a promise the order cannot keep becomes a concern for a person', async () => {
    const created = await api(
      'POST',
      '/deals',
      dealInput({
        company: 'Fjord Systems',
        contact: { email: 'ola@gmail.com', name: 'Ola Nordmann', locale: 'en' },
        expectedCloseAt: new Date(t.clock.now() + DAY).toISOString(),
      }),
    );
    const dealId2 = created.json.id;
    // Ordered as a consumer, with the deal id: the B2B check-up meeting cannot be planned.
    await api('POST', '/orders', {
      id: 'FJ-1',
      placedAt: new Date(t.clock.now()).toISOString(),
      customer: { email: 'ola.private@gmail.com', segment: 'b2c' },
      segment: 'b2c',
      kind: 'software',
      startedAt: new Date(t.clock.now()).toISOString(),
      total: 24_000,
      currency: 'EUR',
      attributes: { deal_id: dealId2 },
    });
    const report = await t.composed.commands.deals.reconcile();
    assert.deepEqual(report.closed, [{ dealId: dealId2, orderId: 'FJ-1', by: 'deal_id' }]);
    assert.ok(report.broken >= 1);
    const deal = (await api('GET', `/deals/${dealId2}`)).json;
    assert.equal(deal.meetings.find((m) => m.step === 'checkup-meeting')?.state, 'broken');
    const customerId = (await t.composed.commands.customers.order('FJ-1'))!.customerId;
    await t.composed.listener.hearPending();
    const concerns = (await api<ListJson<{ summary: string }>>('GET', `/concerns?customerId=${customerId}`))
      .json.items;
    assert.ok(
      concerns.some((c: { summary: string }) => /Promised before the sale.*checkup-meeting/.test(c.summary)),
      JSON.stringify(concerns),
    );
  });

  test('the report compares customers whose plan was shared before closing with the others', async () => {
    const summary = await api<{
      deals: { shared: { customers: number }; notShared: { customers: number }; note: string };
    }>('GET', '/reports/summary');
    assert.equal(summary.status, 200);
    assert.equal(summary.json.deals.shared.customers, 1);
    assert.equal(summary.json.deals.notShared.customers, 1);
    assert.match(summary.json.deals.note, /not a randomized lift/);
  });

  test('erasing Jonas erases him from the deal his order closed: no name or address stays', async () => {
    const customerId = (await t.composed.commands.customers.order('NL-5001'))!.customerId;
    const erased = await fetch(`${base}/api/v1/customers/${encodeURIComponent(customerId)}`, {
      method: 'DELETE',
      headers: t.auth,
    });
    assert.equal(erased.status, 200, await erased.text());
    const deal = await api<DealJson & { contact: { email: string; name: string } }>(
      'GET',
      `/deals/${dealId}`,
    );
    assert.equal(deal.status, 200, JSON.stringify(deal.json));
    assert.deepEqual([deal.json.contact.email, deal.json.contact.name], ['', '']);
    assert.doesNotMatch(JSON.stringify(deal.json), /Jonas|jonas|Müller/);
  });
});
