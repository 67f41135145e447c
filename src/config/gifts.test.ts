// AFTERCARE_GIFTS_FILE: the built-in catalogue by default, a file of one's own, and every problem
// of a bad one reported with the config's other problems, by file, line, column and field.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../config.js';
import { AftercareError } from '../errors.js';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-gifts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof AftercareError);
    assert.equal(error.code, 'AFTERCARE_E_CONFIG');
    return error.message;
  }
  assert.fail('the configuration was accepted');
}

describe('AFTERCARE_GIFTS_FILE', () => {
  test('unset: the built-in catalogue, in the base currency', () => {
    const config = loadConfig({ AFTERCARE_BASE_CURRENCY: 'EUR' });
    assert.equal(config.gifts.currency, 'EUR');
    assert.ok(config.gifts.tiers.length > 1 && config.gifts.gifts.length > 1);
    assert.match(config.gifts.source, /playbooks[\\/]gifts\.yaml$/);
  });

  test("a file of one's own", () => {
    const file = join(dir, 'ours.yaml');
    writeFileSync(file, 'tiers:\n  - name: all\n    budget: 15\ngifts:\n  - name: Card\n    cost: 5\n');
    const config = loadConfig({ AFTERCARE_GIFTS_FILE: file });
    assert.deepEqual(config.gifts.tiers, [{ name: 'all', upTo: null, budget: 15 }]);
  });

  test('a bad file: every problem by line and field, beside the other variables', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'tiers:\n  - name: all\n    budget: -1\ngifts:\n  - name: Card\n');
    const message = configError({ AFTERCARE_GIFTS_FILE: file, AFTERCARE_TIMEZONE: 'Mars/Base' });
    assert.match(message, /AFTERCARE_TIMEZONE: "Mars\/Base" is not an IANA time zone/);
    assert.ok(
      message.includes(`AFTERCARE_GIFTS_FILE: ${file}:3:13 tiers[0].budget: must be 0 or more`),
      message,
    );
    assert.ok(message.includes(`AFTERCARE_GIFTS_FILE: ${file}:5:5 gifts[0].cost: is required`), message);
  });

  test('a missing file, or one in another currency than the base', () => {
    assert.match(
      configError({ AFTERCARE_GIFTS_FILE: join(dir, 'nope.yaml') }),
      /AFTERCARE_GIFTS_FILE: cannot read ".*nope\.yaml" \(ENOENT\)/,
    );
    const yen = join(dir, 'yen.yaml');
    writeFileSync(yen, 'currency: JPY\ntiers:\n  - name: all\n    budget: 1500\ngifts: []\n');
    assert.match(
      configError({ AFTERCARE_GIFTS_FILE: yen }),
      /yen\.yaml:1:11 currency: is JPY, but amounts are compared in the base currency USD/,
    );
  });
});
