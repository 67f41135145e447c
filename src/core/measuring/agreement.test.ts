import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditScore } from './audit.js';
import { agreementVerdict, compareAudits, krippendorffAlpha } from './agreement.js';

const u = undefined;

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
// twelve units, values 1-5 with gaps. Published: nominal 0.743, ordinal 0.815, interval 0.849.
const FOUR_OBSERVERS = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, u, u, u],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, u, 3],
  [u, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, u],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, u],
];

test("Krippendorff's alpha matches his published examples", () => {
  assert.equal(krippendorffAlpha(FOUR_OBSERVERS, 'nominal')!.toFixed(3), '0.743');
  assert.equal(krippendorffAlpha(FOUR_OBSERVERS, 'ordinal')!.toFixed(3), '0.815');
  assert.equal(krippendorffAlpha(FOUR_OBSERVERS, 'interval')!.toFixed(3), '0.849');
  // Section A: two observers, binary data, ten units: alpha 0.095.
  const two = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
  ];
  assert.equal(krippendorffAlpha(two, 'nominal')!.toFixed(3), '0.095');
});

test('alpha is undefined without variation or pairable values', () => {
  assert.equal(
    krippendorffAlpha(
      [
        [3, 3, 3],
        [3, 3, 3],
      ],
      'ordinal',
    ),
    null,
  );
  assert.equal(
    krippendorffAlpha(
      [
        [3, u],
        [u, 4],
      ],
      'ordinal',
    ),
    null,
  );
  assert.equal(
    krippendorffAlpha(
      [
        [1, 2, 3, 4, 5],
        [1, 2, 3, 4, 5],
      ],
      'ordinal',
    ),
    1,
  );
  assert.equal(agreementVerdict(null).startsWith('cannot be computed'), true);
  assert.equal(agreementVerdict(0.81), 'the teams agree');
  assert.equal(agreementVerdict(0.7), 'the teams agree tentatively');
  assert.equal(agreementVerdict(-0.1), 'no agreement beyond chance');
});

test('two teams: alpha over the interactions both scored, largest disagreement first', () => {
  const score = (team: string, interaction: string, importance: number, performance: number): AuditScore => ({
    team,
    interaction,
    importance,
    performance,
    note: null,
  });
  const a = [
    score('a', 'delivery', 5, 2),
    score('a', 'support', 4, 2),
    score('a', 'renewal', 2, 4),
    score('a', 'x', 3, 3),
  ];
  const b = [
    score('b', 'delivery', 5, 3),
    score('b', 'support', 2, 4),
    score('b', 'renewal', 2, 4),
    score('b', 'y', 1, 1),
  ];
  const c = compareAudits('a', a, 'b', b);
  assert.equal(c.compared, 3);
  assert.deepEqual(
    c.disagreements.map((d) => [d.interaction, d.importanceDifference, d.performanceDifference, d.distance]),
    [
      ['support', -2, 2, 4],
      ['delivery', 0, 1, 1],
      ['renewal', 0, 0, 0],
    ],
  );
  assert.deepEqual([c.onlyA, c.onlyB], [['x'], ['y']]);
  // Importance pairs (5,5) (4,2) (2,2): the same matrix given to the coefficient directly.
  assert.equal(
    c.alpha.importance,
    krippendorffAlpha(
      [
        [5, 4, 2],
        [5, 2, 2],
      ],
      'ordinal',
    ),
  );
  assert.equal(c.method, 'krippendorff-alpha-ordinal');
});
