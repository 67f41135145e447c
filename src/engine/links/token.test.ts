// Link tokens: round trip, nothing readable in the token, every changed character refused,
// expiry told apart from forgery, rotation through previous secrets, and junk never throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkTokens, type LinkClaims } from './token.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const DAY = 86_400_000;
const SECRET_A = 'a'.repeat(20) + '-first-secret-of-the-shop';
const SECRET_B = 'b'.repeat(20) + '-second-secret-of-the-shop';

const claims: LinkClaims = {
  purpose: 'survey',
  customerId: 'cus_müller_4711',
  touchPointId: 'reassure:ord-DE-1001:checkin-week',
  orderId: 'ord-DE-1001',
  expiresAt: NOW + 30 * DAY,
};

test('a token opens to its claims, is URL-safe, short, and shows none of them', () => {
  const tokens = new LinkTokens({ current: SECRET_A, previous: [] });
  const token = tokens.issue(claims);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.ok(token.length < 160, `length ${token.length}`);
  assert.deepEqual(tokens.verify(token, NOW), { status: 'valid', claims });
  const decoded = Buffer.from(token, 'base64url').toString('latin1');
  for (const part of ['4711', 'ord-DE', 'checkin', 'reassure']) assert.ok(!decoded.includes(part));
  // Two tokens for the same claims differ (random IV): links cannot be compared or guessed.
  assert.notEqual(tokens.issue(claims), token);
});

test('optional ids may be absent', () => {
  const tokens = new LinkTokens({ current: SECRET_A, previous: [] });
  const plan: LinkClaims = {
    purpose: 'plan',
    customerId: 'c1',
    touchPointId: null,
    orderId: 'o1',
    expiresAt: NOW + DAY,
  };
  assert.deepEqual(tokens.verify(tokens.issue(plan), NOW), { status: 'valid', claims: plan });
});

test('every single changed character makes the token invalid', () => {
  const tokens = new LinkTokens({ current: SECRET_A, previous: [] });
  const token = tokens.issue(claims);
  for (let i = 0; i < token.length; i++) {
    const c = token[i] === 'A' ? 'B' : 'A';
    const changed = token.slice(0, i) + c + token.slice(i + 1);
    assert.deepEqual(tokens.verify(changed, NOW), { status: 'invalid' }, `position ${i}`);
  }
  assert.deepEqual(tokens.verify(token.slice(0, -1), NOW), { status: 'invalid' });
  assert.deepEqual(tokens.verify(token + 'A', NOW), { status: 'invalid' });
});

test('expired is told apart from invalid, at the second', () => {
  const tokens = new LinkTokens({ current: SECRET_A, previous: [] });
  const token = tokens.issue(claims);
  assert.equal(tokens.verify(token, claims.expiresAt - 1).status, 'valid');
  assert.deepEqual(tokens.verify(token, claims.expiresAt), { status: 'expired', purpose: 'survey' });
});

test('rotation: a previous secret still opens old links, new ones use the current, unknown secrets fail', () => {
  const before = new LinkTokens({ current: SECRET_A, previous: [] });
  const old = before.issue(claims);
  const after = new LinkTokens({ current: SECRET_B, previous: [SECRET_A] });
  assert.equal(after.verify(old, NOW).status, 'valid');
  assert.equal(before.verify(after.issue(claims), NOW).status, 'invalid');
  const dropped = new LinkTokens({ current: SECRET_B, previous: [] });
  assert.equal(dropped.verify(old, NOW).status, 'invalid');
  assert.equal(LinkTokens.ephemeral().verify(old, NOW).status, 'invalid');
});

test('junk never throws', () => {
  const tokens = new LinkTokens({ current: SECRET_A, previous: [] });
  for (const junk of [
    '',
    'x',
    '%00',
    'a b',
    'A'.repeat(5000),
    'AQ',
    Buffer.alloc(40).toString('base64url'),
    '../etc/passwd',
  ]) {
    assert.deepEqual(tokens.verify(junk, NOW), { status: 'invalid' }, junk.slice(0, 20));
  }
});
