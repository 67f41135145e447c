import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Millis } from '../domain.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../playbook/duration.js';
import { climb, deadline, ladderRules, noticeId, ownerAt, type Ladder } from './ladder.js';
import { DEFAULT_SLA } from './ladderFile.js';
import type { Concern, Severity } from './types.js';
import { addWorkingTime } from './workingTime.js';

const T0 = Date.UTC(2026, 2, 2, 14, 30); // Monday 2 March 2026, 14:30 UTC

const LADDER: Ladder = {
  levels: [
    { name: 'rep', notify: [] },
    { name: 'manager', notify: [{ kind: 'email', address: 'lead@shop.example' }] },
    { name: 'owner', notify: [{ kind: 'webhook', url: 'https://hooks.slack.example/T000/B000' }] },
  ],
  sla: { ...DEFAULT_SLA },
  workingHours: null,
  source: 'built-in',
};

const MON_FRI_9_17 = { days: [1, 2, 3, 4, 5], start: { hour: 9, minute: 0 }, end: { hour: 17, minute: 0 } };

function concern(severity: Severity, overrides: Partial<Concern> = {}): Concern {
  return {
    id: 'concern:evt_nps_4711',
    customerId: 'cus_berlin_b2b',
    orderId: 'ord_EUR_1042',
    source: 'survey',
    severity,
    summary: 'NPS 2: "the pallet arrived broken"',
    status: 'open',
    level: 0,
    owner: 'rep',
    openedAt: T0,
    acknowledgedAt: null,
    resolvedAt: null,
    resolution: null,
    escalations: [],
    nextEscalationAt: null,
    sourceEventId: 'evt_nps_4711',
    ...overrides,
  };
}

describe('deadline', () => {
  test('unacknowledged: the acknowledge SLA of its severity, from when it was opened', () => {
    assert.equal(deadline(LADDER, concern('critical')), T0 + HOUR_MS);
    assert.equal(deadline(LADDER, concern('high')), T0 + 4 * HOUR_MS);
    assert.equal(deadline(LADDER, concern('medium')), T0 + DAY_MS);
    assert.equal(deadline(LADDER, concern('low')), T0 + 2 * DAY_MS);
  });

  test('acknowledged: the resolve SLA, still from when the level got it', () => {
    const acked = concern('high', {
      status: 'acknowledged',
      acknowledgedAt: T0 + 20 * MINUTE_MS,
      owner: 'Mia',
    });
    assert.equal(deadline(LADDER, acked), T0 + DAY_MS);
  });

  test('at a higher level: counted from the climb; an acknowledgement from before it does not count', () => {
    const climbedAt = T0 + 2 * DAY_MS;
    const c = concern('low', {
      level: 1,
      owner: 'manager',
      acknowledgedAt: T0 + HOUR_MS,
      escalations: [{ level: 1, at: climbedAt }],
    });
    assert.equal(deadline(LADDER, c), climbedAt + 2 * DAY_MS);
    assert.equal(deadline(LADDER, { ...c, acknowledgedAt: climbedAt + HOUR_MS }), climbedAt + 7 * DAY_MS);
  });

  test('none when resolved or at the top level', () => {
    assert.equal(deadline(LADDER, concern('critical', { status: 'resolved', resolvedAt: T0 + 1000 })), null);
    assert.equal(deadline(LADDER, concern('critical', { level: 2, owner: 'owner' })), null);
    const oneLevel: Ladder = { ...LADDER, levels: [{ name: 'support', notify: [] }] };
    assert.equal(deadline(oneLevel, concern('critical')), null);
  });

  test('business hours: only open hours count, in the business zone', () => {
    const ladder: Ladder = { ...LADDER, workingHours: { zone: 'America/New_York', hours: MON_FRI_9_17 } };
    // Friday 6 March 2026, 16:00 in New York (21:00 UTC): one open hour left that day.
    const friday = Date.UTC(2026, 2, 6, 21, 0);
    // high: 4 hours to acknowledge -> 1 on Friday, 3 on Monday from 09:00 -> Monday 12:00 EST.
    assert.equal(deadline(ladder, concern('high', { openedAt: friday })), Date.UTC(2026, 2, 9, 16, 0));
  });
});

describe('addWorkingTime', () => {
  test('opened at night starts counting at the next opening; DST moves the local hours', () => {
    // Saturday 7 March 23:00 New York; the clocks go forward on Sunday 8 March.
    const saturdayNight = Date.UTC(2026, 2, 8, 4, 0);
    // Monday 9 March 09:00 EDT is 13:00 UTC; plus 2 hours.
    assert.equal(
      addWorkingTime(saturdayNight, 2 * HOUR_MS, 'America/New_York', MON_FRI_9_17),
      Date.UTC(2026, 2, 9, 15, 0),
    );
  });

  test('spans several business days; a rule with no open day is calendar time', () => {
    const monday9 = Date.UTC(2026, 2, 2, 9, 0);
    // 3 days of SLA = 72 open hours = 9 business days of 8 hours: Mon 2 -> Thu 12 March, 17:00.
    assert.equal(addWorkingTime(monday9, 3 * DAY_MS, 'UTC', MON_FRI_9_17), Date.UTC(2026, 2, 12, 17, 0));
    assert.equal(addWorkingTime(monday9, HOUR_MS, 'UTC', { ...MON_FRI_9_17, days: [] }), monday9 + HOUR_MS);
  });
});

describe('climb', () => {
  test('one level up at the time the SLA passed, with the next owner, timer and notice', () => {
    const at: Millis = T0 + HOUR_MS;
    const result = climb(LADDER, concern('critical', { nextEscalationAt: at }), at);
    assert.ok(result);
    assert.equal(result.concern.level, 1);
    assert.equal(result.concern.owner, 'manager');
    assert.equal(result.concern.status, 'open');
    assert.deepEqual(result.concern.escalations, [{ level: 1, at }]);
    assert.equal(result.concern.nextEscalationAt, at + HOUR_MS);
    assert.deepEqual(result.notice, {
      id: 'escalation:concern:evt_nps_4711:1',
      concernId: 'concern:evt_nps_4711',
      customerId: 'cus_berlin_b2b',
      orderId: 'ord_EUR_1042',
      level: 1,
      levelName: 'manager',
      previousLevelName: 'rep',
      reason: 'not_acknowledged',
      severity: 'critical',
      summary: 'NPS 2: "the pallet arrived broken"',
      openedAt: T0,
      escalatedAt: at,
      dueAt: at + HOUR_MS,
      targets: [{ kind: 'email', address: 'lead@shop.example' }],
    });
  });

  test('an acknowledged concern that was not resolved climbs for that reason and waits for the new owner', () => {
    const acked = concern('medium', { status: 'acknowledged', owner: 'Mia', acknowledgedAt: T0 + HOUR_MS });
    const result = climb(LADDER, acked, T0 + 3 * DAY_MS);
    assert.equal(result?.notice.reason, 'not_resolved');
    assert.equal(result?.concern.status, 'open');
    assert.equal(result?.concern.nextEscalationAt, T0 + 4 * DAY_MS);
  });

  test('to the top: no timer after it; past the top or resolved: no climb', () => {
    const atManager = concern('high', {
      level: 1,
      owner: 'manager',
      escalations: [{ level: 1, at: T0 + 4 * HOUR_MS }],
    });
    const top = climb(LADDER, atManager, T0 + 8 * HOUR_MS);
    assert.ok(top);
    assert.equal(top?.concern.owner, 'owner');
    assert.equal(top?.concern.nextEscalationAt, null);
    assert.equal(top?.notice.dueAt, null);
    assert.equal(top?.notice.id, noticeId('concern:evt_nps_4711', 2));
    assert.equal(climb(LADDER, top.concern, T0 + 9 * HOUR_MS), null);
    assert.equal(climb(LADDER, concern('high', { status: 'resolved', resolvedAt: T0 }), T0 + DAY_MS), null);
  });
});

describe('the listener rules', () => {
  test('own level 0 by its name, the top for a level past it, and give the first timer', () => {
    const rules = ladderRules(LADDER);
    assert.equal(rules.ownerAt(0), 'rep');
    assert.equal(rules.ownerAt(2), 'owner');
    assert.equal(ownerAt(LADDER, 7), 'owner');
    assert.equal(rules.deadline(concern('critical')), T0 + HOUR_MS);
  });
});
