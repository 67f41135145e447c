import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../domain.js';
import { checkConsent } from './consent.js';
import { aContext, NOW } from './fixtures.test-helpers.js';

const skip = (reason: string) => ({ kind: 'skip', reason });

describe('checkConsent', () => {
  test('a reachable, subscribed customer passes on every channel', () => {
    for (const channel of CHANNELS) assert.equal(checkConsent(aContext({ channel })), null, channel);
  });

  test('unsubscribed: no non-transactional touch point on any channel, tasks included', () => {
    for (const channel of CHANNELS) {
      for (const purpose of ['reassurance', 'education', 'offer'] as const) {
        const ctx = aContext({ channel, purpose, customer: { unsubscribedAt: NOW - 1 } });
        assert.deepEqual(checkConsent(ctx), skip('unsubscribed'), `${channel} ${purpose}`);
      }
    }
  });

  test('unsubscribed customers still get transactional messages', () => {
    for (const channel of CHANNELS) {
      const ctx = aContext({ channel, purpose: 'transactional', customer: { unsubscribedAt: NOW - 1 } });
      assert.equal(checkConsent(ctx), null, channel);
    }
  });

  test('e-mail needs an address that is neither bounced nor suppressed, even when transactional', () => {
    const email = { channel: 'email' as const, purpose: 'transactional' as const };
    assert.deepEqual(checkConsent(aContext({ ...email, customer: { email: null } })), skip('no_address'));
    assert.deepEqual(checkConsent(aContext({ ...email, customer: { email: '  ' } })), skip('no_address'));
    assert.deepEqual(
      checkConsent(aContext({ ...email, customer: { emailBouncedAt: NOW - 1 } })),
      skip('email_bounced'),
    );
    assert.deepEqual(checkConsent(aContext({ ...email, suppressed: true })), skip('suppressed'));
  });

  test('SMS needs a phone number; a bounced or suppressed e-mail does not stop it', () => {
    assert.deepEqual(
      checkConsent(aContext({ channel: 'sms', customer: { phone: null } })),
      skip('no_address'),
    );
    const ctx = aContext({ channel: 'sms', suppressed: true, customer: { emailBouncedAt: NOW - 1 } });
    assert.equal(checkConsent(ctx), null);
  });

  test('tasks and webhooks need no customer address', () => {
    for (const channel of ['task:call', 'task:meeting', 'task:letter', 'task:gift', 'webhook'] as const) {
      const ctx = aContext({ channel, suppressed: true, customer: { email: null, phone: null } });
      assert.equal(checkConsent(ctx), null, channel);
    }
  });

  test('the unsubscribe is reported before a missing address', () => {
    const ctx = aContext({ customer: { unsubscribedAt: NOW - 1, email: null } });
    assert.deepEqual(checkConsent(ctx), skip('unsubscribed'));
  });
});
