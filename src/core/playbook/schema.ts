// The YAML playbook format as a zod schema: snake_case keys, strict objects (an unknown key is
// an error, so typos never pass silently), durations and times checked, and the result already
// normalized into the shapes of types.ts. Positions are added by parse.ts.
import { z } from 'zod';
import {
  CHANNELS,
  FOLLOW_UP_MOMENTS,
  MOMENTS,
  PURPOSES,
  SURVEYS,
  isFollowUpMoment,
  type Moment,
} from '../domain.js';
import { conditionFields, followUpFieldProblem } from './conditions.js';
import { parseCondition } from './conditionSyntax.js';
import { DAY_MS, DURATION_HINT, tryParseDuration } from './duration.js';
import type { Condition, LocalTimeOfDay, Step, StepTiming } from './types.js';

export const SLUG = /^[a-z0-9-]+$/;
export const DEFAULT_EXIT_ON: readonly Moment[] = ['returned', 'cancelled'];
export const DEFAULT_RETURN_WINDOW_MS = 30 * DAY_MS;
export const DEFAULT_DELAY_GRACE_MS = DAY_MS;
export const DEFAULT_STALE_AFTER_MS = 3 * DAY_MS;

/** A schema-level message wins over the parse-level 'is required', so say both here. */
function message(text: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : text);
}

function oneOf<T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: message(`must be one of: ${values.join(', ')}`) });
}

const slug = z.string().regex(SLUG, 'must use only lower-case letters, digits and -');
const moment = oneOf(MOMENTS);
/** What a step can be timed from: an order's moment, or something the customer did (a follow-up). */
const timingMoment = oneOf([...MOMENTS, ...FOLLOW_UP_MOMENTS]);

const duration = z.string({ error: message(`must be ${DURATION_HINT}`) }).transform((text, ctx) => {
  const ms = tryParseDuration(text);
  if (ms === null) ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HINT}, not "${text}"` });
  return ms ?? 0;
});

const TIME = /^(\d{1,2}):(\d{2})$/;
const TIME_HINT = 'must be a local time HH:MM (24-hour), like "10:00"';
const timeOfDay = z.string({ error: message(TIME_HINT) }).transform((text, ctx): LocalTimeOfDay => {
  const match = TIME.exec(text.trim());
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (match === null || hour > 23 || minute > 59) {
    ctx.addIssue({ code: 'custom', message: `${TIME_HINT}, not "${text}"` });
    return { hour: 0, minute: 0 };
  }
  return { hour, minute };
});

/** `{ after: 1d, from: placed, at: "10:00" }`, `{ before: 30d, from: renewal }` or `{ on: shipped }`. */
const timing = z
  .strictObject({
    after: duration.optional(),
    before: duration.optional(),
    from: timingMoment.optional(),
    at: timeOfDay.optional(),
    on: timingMoment.optional(),
  })
  .transform((raw, ctx): StepTiming => {
    const given = (['after', 'before', 'on'] as const).filter((k) => raw[k] !== undefined);
    if (given.length !== 1) {
      const message =
        given.length === 0
          ? 'needs one of after, before or on'
          : `takes only one of after, before or on (got ${given.join(' and ')})`;
      ctx.addIssue({ code: 'custom', message });
    }
    if (raw.on !== undefined) {
      for (const key of ['from', 'at'] as const) {
        if (raw[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `cannot be used with on (on means "right when")`,
          });
        }
      }
      return { moment: raw.on, offsetMs: 0, atLocal: null };
    }
    if (raw.before !== undefined && raw.from !== undefined && isFollowUpMoment(raw.from)) {
      ctx.addIssue({
        code: 'custom',
        path: ['before'],
        message: `cannot be used with from: ${raw.from} (a follow-up comes after what the customer did)`,
      });
    }
    const offsetMs = raw.before !== undefined ? -raw.before : (raw.after ?? 0);
    if (raw.at !== undefined && offsetMs % DAY_MS !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: [raw.before !== undefined ? 'before' : 'after'],
        message: 'must be a whole number of days (or weeks) when at is given',
      });
    }
    return { moment: raw.from ?? 'placed', offsetMs, atLocal: raw.at ?? null };
  });

const when = z.unknown().transform((raw, ctx): Condition | null => {
  if (raw === undefined || raw === null) return null;
  const { condition, issues } = parseCondition(raw);
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return condition;
});

const MESSAGE_CHANNELS: ReadonlySet<string> = new Set(['email', 'sms', 'webhook']);

const step = z
  .strictObject({
    key: slug,
    description: z.string().optional(),
    timing,
    channel: oneOf(CHANNELS),
    template: slug.optional(),
    purpose: oneOf(PURPOSES),
    when: when.optional(),
    cancel_on: z.array(moment).optional(),
    survey: oneOf(SURVEYS).optional(),
    owner: z.string().min(1).optional(),
    measurement: z.boolean({ error: message('must be true or false') }).optional(),
    tip: z
      .number({ error: message('must be a whole number, 1 for the first tip of the series') })
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(12, 'must be at most 12 (a series has at most 12 tips)')
      .optional(),
    story: z.boolean({ error: message('must be true or false') }).optional(),
  })
  .transform((raw, ctx): Step => {
    const isTask = raw.channel.startsWith('task:');
    if (raw.survey !== undefined && !MESSAGE_CHANNELS.has(raw.channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['survey'],
        message: 'needs a message channel (email, sms or webhook)',
      });
    }
    if (raw.when !== undefined && raw.when !== null) {
      for (const field of conditionFields(raw.when)) {
        const problem = followUpFieldProblem(field, raw.timing.moment);
        if (problem !== null) ctx.addIssue({ code: 'custom', path: ['when'], message: problem });
      }
    }
    if (raw.measurement === true) {
      for (const problem of measurementProblems(raw))
        ctx.addIssue({ code: 'custom', path: ['measurement'], message: problem });
    }
    if (raw.tip !== undefined) {
      // A tip is education sent by e-mail: it carries the "I'm all set" link (docs/content.md).
      if (raw.purpose !== 'education')
        ctx.addIssue({
          code: 'custom',
          path: ['tip'],
          message: `needs purpose: education, not ${raw.purpose}`,
        });
      if (raw.channel !== 'email')
        ctx.addIssue({ code: 'custom', path: ['tip'], message: `needs channel: email, not ${raw.channel}` });
      if (raw.survey !== undefined)
        ctx.addIssue({ code: 'custom', path: ['tip'], message: 'cannot be a survey step as well' });
    }
    if (raw.story === true && raw.channel !== 'email' && raw.channel !== 'sms') {
      ctx.addIssue({
        code: 'custom',
        path: ['story'],
        message: 'needs a message channel (email or sms): a story is told in a message',
      });
    }
    if (raw.owner !== undefined && !isTask) {
      ctx.addIssue({
        code: 'custom',
        path: ['owner'],
        message: 'is only for task channels (task:call, ...)',
      });
    }
    return {
      key: raw.key,
      description: raw.description ?? null,
      timing: raw.timing,
      channel: raw.channel,
      template: raw.template ?? raw.key,
      purpose: raw.purpose,
      when: raw.when ?? null,
      cancelOn: raw.cancel_on ?? [],
      survey: raw.survey ?? null,
      owner: raw.owner ?? null,
      // Only when set: the definition (and fingerprint) of every other step stays as it was.
      ...(raw.measurement === true ? { measurement: true as const } : {}),
      ...(raw.tip !== undefined ? { tip: raw.tip } : {}),
      ...(raw.story === true ? { story: true as const } : {}),
    };
  });

/**
 * A measurement step goes to the holdout too, so it must be a question both groups can be asked
 * alike: a survey, in a message, and nothing the program sells.
 */
function measurementProblems(raw: { survey?: string; channel: string; purpose: string }): string[] {
  const problems: string[] = [];
  if (raw.survey === undefined)
    problems.push('needs survey: csat or nps (a measurement step asks both groups the same question)');
  if (!MESSAGE_CHANNELS.has(raw.channel))
    problems.push(`needs a message channel (email, sms or webhook), not ${raw.channel}`);
  if (raw.purpose === 'offer' || raw.purpose === 'education')
    problems.push(
      `cannot be purpose: ${raw.purpose}; it reaches the holdout, which must not get the program's content`,
    );
  return problems;
}

export const playbookSchema = z.strictObject({
  name: slug,
  version: z.number().int('must be a whole number').positive('must be 1 or more'),
  description: z.string().optional(),
  exit_on: z.array(moment).optional(),
  return_window: duration.optional(),
  delay_grace: duration.optional(),
  stale_after: duration.optional(),
  renewal_gap: duration.optional(),
  templates: z.string().min(1).optional(),
  steps: z.array(step).min(1, 'needs at least one step'),
});

export type RawPlaybook = z.output<typeof playbookSchema>;
