import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isHoldout, unitHash } from './holdout.js';

const IDS = Array.from({ length: 100_000 }, (_, i) => `cus_${i}`);

describe('isHoldout', () => {
  test('holds out about the share asked for (10% of 100k within ±1%)', () => {
    const held = IDS.filter((id) => isHoldout(id, 0.1, 'aftercare')).length;
    assert.ok(held > 9_000 && held < 11_000, `held out ${held}`);
  });

  test('spreads e-mail-derived ids evenly too', () => {
    const ids = IDS.map((_, i) => `em_${(i * 2654435761) % 1e9}`);
    const held = ids.filter((id) => isHoldout(id, 0.25, 's')).length;
    assert.ok(held > 24_000 && held < 26_000, `held out ${held}`);
  });

  test('is deterministic', () => {
    for (const id of IDS.slice(0, 1000)) {
      assert.equal(isHoldout(id, 0.3, 'salt'), isHoldout(id, 0.3, 'salt'));
    }
    assert.equal(unitHash('salt:cus_1'), unitHash('salt:cus_1'));
  });

  test('a different salt draws a different group', () => {
    const a = new Set(IDS.filter((id) => isHoldout(id, 0.1, 'one')));
    const both = IDS.filter((id) => a.has(id) && isHoldout(id, 0.1, 'two')).length;
    // Independent draws overlap in about 10% of 10%.
    assert.ok(both > 700 && both < 1_300, `overlap ${both}`);
  });

  test('raising the share only adds customers', () => {
    for (const id of IDS.slice(0, 20_000)) {
      if (isHoldout(id, 0.05, 'salt')) assert.equal(isHoldout(id, 0.1, 'salt'), true);
    }
  });

  test('share 0 (or nonsense) holds out nobody, share 1 everybody', () => {
    assert.equal(
      IDS.slice(0, 1000).some((id) => isHoldout(id, 0, 'salt')),
      false,
    );
    assert.equal(isHoldout('cus_1', Number.NaN, 'salt'), false);
    assert.equal(isHoldout('cus_1', -1, 'salt'), false);
    assert.equal(
      IDS.slice(0, 1000).every((id) => isHoldout(id, 1, 'salt')),
      true,
    );
  });
});
