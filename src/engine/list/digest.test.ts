// The digest job's rules on a real (in-memory) store and the production intake: a customer's own
// choices hold it back (news off, unsubscribed from everything after confirming), a sign-up after
// a global unsubscribe is newer consent, a full frequency cap makes it wait, and a worker that died
// holding a claim is taken over once its lease ends.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CaptureChannel } from '../../channels/capture.js';
import { DEFAULT_POLICY_CONFIG } from '../../core/policy/defaults.js';
import {
  commandWorld,
  orderPlaced,
  DAY,
  HOUR,
  T0,
  type CommandWorld,
} from '../commands/world.test-helpers.js';
import { LinkTokens } from '../links/token.js';
import { mailingListCommands } from '../commands/mailingList.js';
import { digestPeriod, runDigest, type DigestDeps } from './digest.js';
import type { ListMailDeps } from './mail.js';

const ADA = 'ada.lovelace@example.com';

describe('digest rules', () => {
  let w: CommandWorld;
  let channel: CaptureChannel;
  let deps: DigestDeps;
  let list: ReturnType<typeof mailingListCommands>;

  beforeEach(async () => {
    w = await commandWorld();
    channel = new CaptureChannel(['email']);
    const mail: ListMailDeps = {
      linkTokens: LinkTokens.ephemeral(),
      publicUrl: 'https://care.example',
      business: {
        name: 'Lumen',
        website: null,
        supportEmail: 'help@lumen.example',
        supportPhone: null,
        escalationName: 'Dana',
        escalationEmail: 'dana@lumen.example',
        postalAddress: '1 Light Street',
        fromEmail: 'care@lumen.example',
      },
      email: () => channel,
    };
    list = mailingListCommands({
      list: w.store.mailingList,
      reads: w.store.reads,
      consent: w.store.consent,
      clock: w.clock,
      mail,
    });
    deps = {
      list: w.store.mailingList,
      reads: w.store.reads,
      consent: w.store.consent,
      queue: w.store.queue,
      mail,
      policy: {
        ...DEFAULT_POLICY_CONFIG,
        defaultTimezone: 'Europe/London',
        frequencyCap: { max: 1, windowMs: 7 * DAY },
      },
      digestEveryMs: 7 * DAY,
      checkEveryMs: 15 * 60_000,
    };
  });
  afterEach(() => w.close());

  async function confirmed(email: string): Promise<string> {
    const signed = await list.signUp({ email, source: 'api' });
    assert.ok(signed.ok);
    assert.ok((await list.confirm(signed.subscriber.id, { ip: null, userAgent: null })).ok);
    return signed.subscriber.id;
  }
  const digests = () => channel.sent.filter((m) => m.stepKey === 'list-digest');

  test("a customer's news preference and a later global unsubscribe hold it back; a newer sign-up wins", async () => {
    await w.commands.ingest.events([orderPlaced('o1', T0 - DAY)]);
    const customer = (await w.store.reads.findCustomerByEmail(ADA))!;
    await confirmed(ADA);
    w.clock.set(T0 + HOUR);
    await list.addNews({ title: 'Hello', body: 'News.' });
    await w.commands.ingest.events([
      {
        id: 'prefs-1',
        type: 'customer.preferences_changed',
        at: T0 + HOUR,
        customerId: customer.id,
        orderId: null,
        data: { topicsOff: ['news'], channelsOff: [], pausedUntil: null, source: 'page' },
      },
    ]);
    const held = await runDigest(deps, T0 + 2 * HOUR);
    assert.equal(held.skipped, 1);
    assert.equal(digests().length, 0);

    // News back on, but unsubscribed from everything (after confirming): still nothing.
    await w.commands.ingest.events([
      {
        id: 'prefs-2',
        type: 'customer.preferences_changed',
        at: T0 + 3 * HOUR,
        customerId: customer.id,
        orderId: null,
        data: { topicsOff: [], channelsOff: [], pausedUntil: null, source: 'page' },
      },
      {
        id: 'unsub-1',
        type: 'customer.unsubscribed',
        at: T0 + 3 * HOUR,
        customerId: customer.id,
        orderId: null,
        data: {},
      },
    ]);
    w.clock.set(T0 + 8 * DAY);
    await runDigest(deps, T0 + 8 * DAY);
    assert.equal(digests().length, 0);
  });

  test('a full frequency cap makes it wait; the next tick after the window sends it once', async () => {
    const id = await confirmed('reader@example.com');
    w.clock.set(T0 + HOUR);
    await list.addNews({ title: 'One', body: 'First.' });
    assert.equal((await runDigest(deps, T0 + 2 * HOUR)).sent, 1);
    // Periods start on Thursdays 00:00 UTC (the epoch's weekday). The next one, on Thursday at
    // 10:00, the cap (1 in 7 days, sent Monday 14:00) is still full: the digest waits.
    const sentAt = T0 + 2 * HOUR;
    const thursday = Date.UTC(2026, 5, 4, 10, 0);
    w.clock.set(Date.UTC(2026, 5, 4, 9, 0));
    await list.addNews({ title: 'Two', body: 'Second.' });
    const early = await runDigest(deps, thursday);
    assert.equal(early.period, digestPeriod(sentAt, deps.digestEveryMs) + 1);
    assert.equal(early.waiting, 1);
    assert.equal(digests().length, 1);
    // Monday 17:00, the same period, the send has left the window: it goes out, once.
    const later = await runDigest(deps, sentAt + 7 * DAY + 3 * HOUR);
    assert.equal(later.period, early.period);
    assert.equal(later.sent, 1);
    assert.equal(digests().length, 2);
    assert.match(digests()[1]!.text, /Second/);
    assert.doesNotMatch(digests()[1]!.text, /First/);
    assert.equal((await w.store.mailingList.get(id))?.lastDigestPeriod, later.period);
  });

  test('a claim left by a dead worker is taken over once its lease ends', async () => {
    const id = await confirmed('reader@example.com');
    w.clock.set(T0 + HOUR);
    await list.addNews({ title: 'One', body: 'First.' });
    const now = T0 + 2 * HOUR;
    const period = digestPeriod(now, deps.digestEveryMs);
    // A worker claimed and died before sending.
    assert.ok(await w.store.mailingList.claimDigest(id, period, now, now + 10 * 60_000));
    const blocked = await runDigest(deps, now + 60_000);
    assert.equal(blocked.elsewhere, 1);
    assert.equal(digests().length, 0);
    const taken = await runDigest(deps, now + 11 * 60_000);
    assert.equal(taken.sent, 1);
    assert.equal((await runDigest(deps, now + 12 * 60_000)).sent, 0);
    assert.equal(digests().length, 1);
  });
});
