import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY_CONFIG as config } from './defaults.js';
import { aContext, DAY, HOUR, NOW } from './fixtures.test-helpers.js';
import { checkSurveyThrottle } from './surveyThrottle.js';

describe('checkSurveyThrottle', () => {
  const nps = { step: { key: 'checkin-month', survey: 'nps' as const } };

  test('a survey within 14 days of the last one sent is skipped, naming that one', () => {
    const ctx = aContext({
      ...nps,
      recentSurveys: [
        { at: NOW - 13 * DAY, stepKey: 'checkin-week', survey: 'csat' },
        { at: NOW - 2 * DAY, stepKey: 'b2b-checkin', survey: 'csat' },
      ],
    });
    assert.deepEqual(checkSurveyThrottle(ctx, ctx.step!, config), {
      kind: 'skip',
      reason: 'survey_throttled',
      detail: 'csat survey b2b-checkin sent 2026-06-08 14:00 UTC',
    });
  });

  test('14 days after the last survey, the next one may go', () => {
    const ctx = aContext({
      ...nps,
      recentSurveys: [{ at: NOW - 14 * DAY, stepKey: 'checkin-week', survey: 'csat' }],
    });
    assert.equal(checkSurveyThrottle(ctx, ctx.step!, config), null);
    const shorter = { ...config, surveyIntervalMs: 14 * DAY + HOUR };
    assert.equal(checkSurveyThrottle(ctx, ctx.step!, shorter)?.kind, 'skip');
  });

  test('steps that are not surveys are not throttled', () => {
    const ctx = aContext({ recentSurveys: [{ at: NOW - DAY, stepKey: 'checkin-week', survey: 'csat' }] });
    assert.equal(checkSurveyThrottle(ctx, ctx.step!, config), null);
  });

  test('an interval of 0 turns the throttle off', () => {
    const ctx = aContext({
      ...nps,
      recentSurveys: [{ at: NOW - HOUR, stepKey: 'checkin-week', survey: 'csat' }],
    });
    assert.equal(checkSurveyThrottle(ctx, ctx.step!, { ...config, surveyIntervalMs: 0 }), null);
  });
});
