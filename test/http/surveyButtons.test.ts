// The survey scale's buttons in the HTML part of real mails (sent by the production dispatcher
// to a real SMTP server), followed over real HTTP as a phone would: every button opens the
// survey page with its score chosen and records nothing; the form it shows records on POST.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADA, CHIARA, openPublicWorld, touchPointOf, type Mail, type PublicWorld } from './publicWorld.js';
import { DAY, HOUR, T0, dispatcherFor } from './harness.js';

let w: PublicWorld;
before(async () => {
  w = await openPublicWorld();
});
after(() => w.close());

/** The hrefs of the survey buttons in a mail's HTML part, in order, with their labels. */
function buttons(mail: Mail): { href: string; label: string }[] {
  const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
  const table = /<table role="presentation" class="ac-scale"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<a href="([^"]+)"[^>]*>(\d+)<\/a>/g)].map((m) => ({
    href: (m[1] ?? '').replace(/&amp;/g, '&'),
    label: m[2] ?? '',
  }));
}

function mailOf(mails: readonly Mail[], to: string, step: string): Mail {
  const mail = mails.find((m) => m.to === to && touchPointOf(m).endsWith(`:${step}`));
  assert.ok(mail, `a ${step} mail to ${to}`);
  return mail;
}

async function answers(customerId: string): Promise<unknown[]> {
  const events = await w.t.composed.commands.customers.timeline(customerId, ['survey.answered']);
  return (events ?? []).map((e) => e.data);
}

/** GET every button: 200, the confirm form with that score checked, nothing recorded. */
async function followAll(mail: Mail, first: number, last: number, customerId: string): Promise<string> {
  const found = buttons(mail);
  assert.deepEqual(
    found.map((b) => b.label),
    Array.from({ length: last - first + 1 }, (_, i) => String(first + i)),
  );
  let action = '';
  for (const { href, label } of found) {
    assert.ok(mail.links.includes(href), `button ${label} is the text part's link too`);
    const response = await fetch(w.local(href), { headers: { 'user-agent': 'Mozilla/5.0 (iPhone)' } });
    assert.equal(response.status, 200, href);
    const page = await response.text();
    assert.match(page, new RegExp(`value="${label}" required checked`));
    assert.equal((page.match(/type="radio"/g) ?? []).length, last - first + 1);
    action = `${w.base}${/<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? ''}`;
  }
  assert.deepEqual(await answers(customerId), [], 'opening the buttons records nothing');
  return action;
}

describe('survey buttons over real HTTP', () => {
  test('CSAT: five buttons, each opens its score; POST records the answer', async () => {
    const mail = mailOf(w.mails, ADA, 'checkin-week');
    const action = await followAll(mail, 1, 5, 'cus-GB-1001');
    const posted = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: '5', comment: '' }).toString(),
    });
    assert.equal(posted.status, 200);
    assert.deepEqual(await answers('cus-GB-1001'), [
      {
        survey: 'csat',
        score: 5,
        comment: null,
        touchPointId: 'reassure:GB-1001:checkin-week',
        source: 'page',
      },
    ]);
  });

  test('NPS: eleven buttons a month in, 0 to 10, each opens its score', async () => {
    const { dispatcher, channels } = dispatcherFor(w.t, w.t.config.smtpUrl);
    try {
      for (let at = T0 + 10 * DAY; at <= T0 + 34 * DAY; at += 3 * HOUR) {
        w.t.clock.set(at);
        await dispatcher.runUntilIdle();
      }
    } finally {
      await channels.close();
    }
    const mail = mailOf(await w.later(), CHIARA, 'checkin-month');
    await followAll(mail, 0, 10, 'cus-US-3001');
  });
});
