// The public pages on PostgreSQL: what they record goes through the PostgreSQL intake like any
// event (one-click unsubscribe from a real mail once per touch point, preferences applied, a
// survey answer stored with its data).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSkipReason } from '../reliability/server.js';
import { ADA, CHIARA, JONAS, openPublicWorld, type PublicWorld } from './publicWorld.js';

const skip = await postgresSkipReason();

describe('public pages on PostgreSQL', { skip: skip ?? false }, () => {
  let w: PublicWorld;
  before(async () => {
    w = await openPublicWorld({ store: 'postgres' });
  });
  after(() => w?.close());

  const post = (url: string, fields: [string, string][]): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  test('one-click unsubscribe, preferences and a survey answer are stored and applied', async () => {
    const commands = w.t.composed.commands;
    const unsubscribe = w.local(w.link(ADA, '/u/'));
    for (let i = 0; i < 2; i++)
      assert.equal((await post(unsubscribe, [['List-Unsubscribe', 'One-Click']])).status, 200);
    assert.notEqual((await commands.customers.get('cus-GB-1001'))?.unsubscribedAt, null);
    assert.equal((await commands.customers.timeline('cus-GB-1001', ['customer.unsubscribed']))?.length, 1);

    const page = await (await fetch(w.local(w.link(CHIARA, '/u/')))).text();
    const prefs = `${w.base}${/href="(\/preferences\/[^"]+)"/.exec(page)![1]!}`;
    assert.equal(
      (
        await post(prefs, [
          ['topic', 'checkins'],
          ['channel', 'email'],
          ['pause', 'none'],
        ])
      ).status,
      200,
    );
    assert.deepEqual((await commands.customers.get('cus-US-3001'))?.preferences, {
      topicsOff: ['education', 'offers', 'news'],
      channelsOff: ['sms'],
      pausedUntil: null,
    });

    const survey = w.local(w.link(JONAS, '/s/', 'checkin-week')).replace(/\?.*$/, '');
    assert.equal(
      (
        await post(survey, [
          ['score', '5'],
          ['comment', 'Sehr gut'],
        ])
      ).status,
      200,
    );
    const answers = await commands.customers.timeline('cus-DE-2001', ['survey.answered']);
    assert.deepEqual(
      answers?.map((e) => e.data),
      [
        {
          survey: 'csat',
          score: 5,
          comment: 'Sehr gut',
          touchPointId: 'reassure:DE-2001:checkin-week',
          source: 'page',
        },
      ],
    );
  });
});
