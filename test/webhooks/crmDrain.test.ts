// The CRM webhooks' edges around the inbox drain: no endpoint without credentials and a deals
// sink; a sink that fails gets the changes again once their lease ends; envelopes never become
// domain events, and without a sink they wait in the inbox instead of being dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CrmDealChange } from '../../src/integrations/crm/dealChange.js';
import { crmInboxEvent } from '../../src/integrations/crm/inbox.js';
import { RecordingDealChangeSink } from '../../src/integrations/crm/recordingSink.js';
import { fixture, fixtureJson } from '../fixtures/webhooks/fixtures.js';
import { CRM_SECRETS, NOW, hubspotHeaders, pipedriveHeaders, webhookWorld } from './app.js';

test('the CRM endpoints answer 404 until both their credentials and a deals sink are there', async () => {
  const noSink = await webhookWorld({ ...CRM_SECRETS });
  const noSecret = await webhookWorld({}, { deals: new RecordingDealChangeSink() });
  try {
    const body = fixture('hubspot-deal-stage-won');
    const answers = [
      await noSink.app.inject({
        method: 'POST',
        url: '/webhooks/hubspot',
        payload: body,
        headers: hubspotHeaders(body, NOW),
      }),
      await noSink.app.inject({
        method: 'POST',
        url: '/webhooks/pipedrive',
        payload: '{}',
        headers: pipedriveHeaders(),
      }),
      await noSecret.app.inject({
        method: 'POST',
        url: '/webhooks/hubspot',
        payload: body,
        headers: hubspotHeaders(body, NOW),
      }),
      await noSecret.app.inject({
        method: 'POST',
        url: '/webhooks/pipedrive',
        payload: '{}',
        headers: pipedriveHeaders(),
      }),
    ];
    assert.deepEqual(
      answers.map((answer) => [
        answer.statusCode,
        answer.json<{ error: { message: string } }>().error.message,
      ]),
      [
        [404, 'hubspot webhooks are not configured (a deals handler)'],
        [404, 'pipedrive webhooks are not configured (a deals handler)'],
        [404, 'hubspot webhooks are not configured (AFTERCARE_HUBSPOT_CLIENT_SECRET)'],
        [404, 'pipedrive webhooks are not configured (AFTERCARE_PIPEDRIVE_WEBHOOK_USER/PASSWORD)'],
      ],
    );
  } finally {
    await noSink.close();
    await noSecret.close();
  }
});

test('a sink that fails leaves the changes in the inbox; they are handed over again after the lease', async () => {
  const recorded = new RecordingDealChangeSink();
  let failures = 1;
  const world = await webhookWorld(
    { ...CRM_SECRETS },
    {
      deals: {
        apply(changes) {
          if (failures-- > 0) return Promise.reject(new Error('the deals store is down'));
          return recorded.apply(changes);
        },
      },
      drain: { leaseMs: 100, pollMs: 10 },
    },
  );
  try {
    const body = fixture('pipedrive-deal-change-won');
    const answer = await world.app.inject({
      method: 'POST',
      url: '/webhooks/pipedrive',
      payload: body,
      headers: pipedriveHeaders(),
    });
    assert.equal(answer.statusCode, 200);
    await world.drained();
    assert.deepEqual(
      recorded.changes.map((change) => [change.externalId, change.stage]),
      [['4127', 'won']],
    );
    assert.ok(
      world.logs.some(
        (line) => line.msg === 'webhook events could not be applied; they are retried when their lease ends',
      ),
    );
  } finally {
    await world.close();
  }
});

test('without a sink, envelopes already in the inbox wait there; intake alone would refuse them', async () => {
  const world = await webhookWorld({ ...CRM_SECRETS }, { drain: { leaseMs: 50, pollMs: 10 } });
  try {
    const change: CrmDealChange = {
      id: 'hubspot:46021337:2440613:2817734501',
      source: 'hubspot',
      externalId: '18423776315',
      stage: 'won',
      stageLabel: 'closedwon',
      occurredAt: new Date(NOW - 30_000).toISOString(),
    };
    const payload = (fixtureJson('hubspot-deal-stage-won') as unknown as unknown[])[0];
    const envelope = crmInboxEvent(change, payload, NOW);
    await world.store.inbox.appendInbox([{ event: envelope, source: 'hubspot' }], NOW);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await world.store.inbox.inboxDepth(), 1, 'still waiting');
    assert.ok(world.logs.some((line) => line.level === 50));
    // Should an envelope ever reach intake itself, it names nobody and nothing is recorded.
    const [result] = await world.intake.ingest([envelope]);
    assert.equal(result?.rejected, 'unknown_customer');
  } finally {
    await world.close();
  }
});
