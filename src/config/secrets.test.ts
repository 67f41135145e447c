// AFTERCARE_SECRET and AFTERCARE_SECRET_PREVIOUS: length checked with a message that says how to
// make one and never quotes the value, older secrets listed, and none of them ever printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { loadConfig } from '../config.js';
import { AftercareError } from '../errors.js';

const CURRENT = 'k3Jx9Qz2Lw8Vt5Rn1Hs7Fd4Gb6Mc0Pa-current-secret';
const OLD = 'Zy8Xw7Vu6Ts5Rq4Po3Nm2Lk1Ji0Hg-older-secret-1';

test('without a secret the config loads with none (serve and worker refuse to start later)', () => {
  const config = loadConfig({});
  assert.equal(config.secrets.current, null);
  assert.deepEqual(config.secrets.previous, []);
});

test('links work 400 days (surveys 30) unless set; an unsubscribe link never less than 60 days', () => {
  const DAY = 86_400_000;
  assert.deepEqual(loadConfig({}).secrets.linkLifetimes, {
    unsubscribe: 400 * DAY,
    preferences: 400 * DAY,
    plan: 400 * DAY,
    tips: 400 * DAY,
    proposal: 400 * DAY,
    survey: 30 * DAY,
    // A confirmation not clicked within a week is no consent: the person signs up again.
    'list-confirm': 7 * DAY,
    'list-unsubscribe': 400 * DAY,
  });
  const set = loadConfig({ AFTERCARE_LINK_LIFETIME: '730d', AFTERCARE_SURVEY_LINK_LIFETIME: '14d' });
  assert.equal(set.secrets.linkLifetimes.unsubscribe, set.secrets.linkLifetimes.plan);
  assert.equal(set.secrets.linkLifetimes.unsubscribe, 730 * DAY);
  assert.equal(set.secrets.linkLifetimes.survey, 14 * DAY);
  assert.throws(
    () => loadConfig({ AFTERCARE_LINK_LIFETIME: '30d', AFTERCARE_SURVEY_LINK_LIFETIME: '2h' }),
    (error: unknown) =>
      error instanceof AftercareError &&
      /AFTERCARE_LINK_LIFETIME: "30d" is shorter than 60d/.test(error.message) &&
      /AFTERCARE_SURVEY_LINK_LIFETIME: "2h" is shorter than 1d/.test(error.message),
  );
  assert.throws(() => loadConfig({ AFTERCARE_LINK_LIFETIME: '999999w' }), /longer than 3650d/);
});

test('a secret and older ones are read, the current one dropped from the older list', () => {
  const config = loadConfig({
    AFTERCARE_SECRET: CURRENT,
    AFTERCARE_SECRET_PREVIOUS: ` ${OLD} , ${CURRENT}`,
  });
  assert.equal(config.secrets.current, CURRENT);
  assert.deepEqual(config.secrets.previous, [OLD]);
});

test('a short secret is refused with its length and how to make one, never quoted', () => {
  const short = 'tooShortButSecret';
  try {
    loadConfig({ AFTERCARE_SECRET: short, AFTERCARE_SECRET_PREVIOUS: `${OLD},,` });
    assert.fail('a short secret must be refused');
  } catch (error) {
    assert.ok(error instanceof AftercareError);
    assert.equal(error.code, 'AFTERCARE_E_CONFIG');
    assert.match(error.message, /AFTERCARE_SECRET: is 17 characters long; it must have at least 32/);
    assert.match(error.message, /openssl rand -base64 48/);
    assert.match(error.message, /AFTERCARE_SECRET_PREVIOUS: entry 2 is empty/);
    assert.ok(!error.message.includes(short));
    assert.ok(!error.message.includes(OLD));
  }
});

test('the secrets never print', () => {
  const config = loadConfig({ AFTERCARE_SECRET: CURRENT, AFTERCARE_SECRET_PREVIOUS: OLD });
  for (const printed of [JSON.stringify(config), inspect(config, { depth: 10 })]) {
    assert.ok(!printed.includes(CURRENT), printed);
    assert.ok(!printed.includes(OLD), printed);
    assert.match(printed, /\[redacted\]/);
  }
});
