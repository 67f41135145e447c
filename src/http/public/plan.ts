// /plan/:token: the customer's written plan for one order: what has happened, what comes next and
// when (in their own time zone and language), meetings and their aims with a calendar file
// (/plan/:token/meetings.ics, B2B), how to get help and escalate, and a link to their preferences.
// Only what reaches the customer is shown: e-mails, text messages and meetings, never reps' work.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createEvents, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import type { Customer, Millis, Order, TouchPoint } from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';
import { resolveZone } from '../../core/localTime.js';
import { reachesHoldout } from '../../core/policy/holdout.js';
import type { OpenedLink, Pages } from './context.js';
import { contactsHtml, esc, paragraph } from './layout.js';
import { stepPhrase, type Texts } from './texts.js';

interface TokenParams {
  token: string;
}

/** Meetings take this long in the calendar file. */
const MEETING_MS = 60 * 60_000;
const CUSTOMER_FACING: ReadonlySet<string> = new Set(['email', 'sms', 'task:meeting']);

export interface PlanParts {
  customer: Customer;
  order: Order;
  happened: TouchPoint[];
  next: TouchPoint[];
  meetings: TouchPoint[];
  /** Their concerns not resolved yet: shown as what they told us and that a person has it. */
  concerns: Concern[];
  zone: string;
}

/**
 * What the page shows, from the order's touch points: pure, so the rules are tested alone.
 * `reachesHoldout`: whether a holdout customer gets this touch point (core/policy/holdout.ts);
 * by default only transactional ones.
 */
export function planParts(
  customer: Customer,
  order: Order,
  touchPoints: readonly TouchPoint[],
  defaultZone: string,
  concerns: readonly Concern[] = [],
  reachesHoldout: (tp: TouchPoint) => boolean = (tp) => tp.purpose === 'transactional',
): PlanParts {
  // A holdout customer gets only transactional messages and the measurement surveys: the page
  // promises nothing else. Optional ones do not go out after an unsubscribe either.
  const shown = touchPoints.filter(
    (tp) => (!tp.holdout || reachesHoldout(tp)) && CUSTOMER_FACING.has(tp.channel),
  );
  const happened = shown
    .filter((tp) => tp.status === 'sent')
    .sort((a, b) => (a.outcomeAt ?? a.dueAt) - (b.outcomeAt ?? b.dueAt));
  const next = shown
    .filter((tp) => tp.status === 'scheduled' || tp.status === 'claimed')
    .filter((tp) => customer.unsubscribedAt === null || tp.purpose === 'transactional')
    .sort((a, b) => a.dueAt - b.dueAt);
  const meetings = next.filter((tp) => tp.channel === 'task:meeting');
  const open = concerns.filter((c) => c.status !== 'resolved').sort((a, b) => a.openedAt - b.openedAt);
  return {
    customer,
    order,
    happened,
    next,
    meetings,
    concerns: open,
    zone: resolveZone(customer.timezone, defaultZone),
  };
}

export function localDateTime(at: Millis, zone: string, t: Texts): string {
  return DateTime.fromMillis(at, { zone }).setLocale(t.lang).toLocaleString({
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function stepItem(tp: TouchPoint, when: string, t: Texts): string {
  return `<li>${esc(stepPhrase(t, tp.stepKey, tp.channel, tp.purpose))} <span class="when">(${esc(when)})</span></li>`;
}

export function objectiveOf(tp: TouchPoint, t: Texts): string {
  return t.meetingObjectives[tp.stepKey] ?? t.meetingObjective;
}

function planHtml(pages: Pages, link: OpenedLink, parts: PlanParts): string {
  const { t } = link;
  const { zone } = parts;
  const business = pages.deps.config.business;
  const happened =
    parts.happened.length === 0
      ? paragraph(t.planNothingYet)
      : `<ul class="steps">${parts.happened.map((tp) => stepItem(tp, t.planSent(localDateTime(tp.outcomeAt ?? tp.dueAt, zone, t)), t)).join('')}</ul>`;
  const next =
    parts.next.length === 0
      ? paragraph(t.planNothingNext)
      : `<ul class="steps">${parts.next.map((tp) => stepItem(tp, t.planDue(localDateTime(tp.dueAt, zone, t)), t)).join('')}</ul>`;
  const unsubscribed = parts.customer.unsubscribedAt !== null ? paragraph(t.planUnsubscribed, 'note') : '';
  const meetings =
    parts.meetings.length === 0
      ? ''
      : `<h2>${esc(t.meetingsTitle)}</h2>
<ul class="steps">${parts.meetings.map((tp) => `<li><strong>${esc(localDateTime(tp.dueAt, zone, t))}</strong>: ${esc(objectiveOf(tp, t))}</li>`).join('')}</ul>
<p><a href="${esc(`${pages.base}/plan/${link.token}/meetings.ics`)}">${esc(t.meetingsIcs)}</a></p>`;
  const preferences = pages.linkTo(
    'preferences',
    { purpose: 'preferences', customerId: parts.customer.id, touchPointId: null, orderId: null },
    pages.deps.linkTokens.lifetimes.preferences,
  );
  // What they told us, in their words' stead a plain promise: the summary is written for reps.
  const concerns =
    parts.concerns.length === 0
      ? ''
      : `<h2>${esc(t.planConcernsTitle)}</h2>
<ul class="steps">${parts.concerns
          .map((c) => {
            const on = DateTime.fromMillis(c.openedAt, { zone })
              .setLocale(t.lang)
              .toLocaleString(DateTime.DATE_FULL);
            return `<li>${esc(c.status === 'acknowledged' ? t.planConcernTaken(on) : t.planConcernOpen(on))}</li>`;
          })
          .join('')}</ul>`;
  const placed = DateTime.fromMillis(parts.order.placedAt, { zone })
    .setLocale(t.lang)
    .toLocaleString(DateTime.DATE_FULL);
  return `${paragraph(t.planOrder(parts.order.number, placed))}
${paragraph(t.planTimesIn(zone))}
${unsubscribed}
${concerns}
<h2>${esc(t.planHappened)}</h2>
${happened}
<h2>${esc(t.planNext)}</h2>
${next}
${meetings}
${contactsHtml(t, business, t.planHelpTitle)}
<h2>${esc(t.planPreferencesTitle)}</h2>
<p><a href="${esc(preferences)}">${esc(t.planPreferences)}</a></p>`;
}

/** The meetings as a calendar (valid even when empty), one stable UID per touch point. */
export function meetingsCalendar(parts: PlanParts, t: Texts, businessName: string, domain: string): string {
  const events: EventAttributes[] = parts.meetings.map((tp) => ({
    uid: `${createHash('sha256').update(tp.id).digest('hex').slice(0, 32)}@${domain}`,
    start: tp.dueAt,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: tp.dueAt + MEETING_MS,
    endInputType: 'utc',
    endOutputType: 'utc',
    title: t.meetingTitle(businessName),
    description: objectiveOf(tp, t),
  }));
  const made = createEvents(events, { productId: 'aftercare', calName: t.meetingsTitle });
  if (made.error || !made.value) throw made.error ?? new Error('the calendar could not be made');
  return made.value;
}

export function planRoutes(app: FastifyInstance, pages: Pages): void {
  /** The plan's parts, or null once a 404/410 page is sent. */
  async function load(link: OpenedLink): Promise<PlanParts | null> {
    const orderId = link.claims.orderId;
    const order = orderId === null ? null : await pages.deps.commands.customers.order(orderId);
    if (order === null || order.customerId !== link.customer.id) return null;
    const touchPoints = await pages.deps.commands.touchPoints.list({ orderId: order.id, limit: 1000 });
    const concerns = await pages.deps.commands.concerns.list({
      customerId: link.customer.id,
      status: 'unresolved',
    });
    const { policy } = pages.deps.config;
    if (touchPoints.some((tp) => tp.holdout)) await pages.deps.steps.prepare(touchPoints);
    const reaches = (tp: TouchPoint): boolean =>
      reachesHoldout(tp.purpose, pages.deps.steps.resolve(tp)?.step ?? null, policy);
    return planParts(link.customer, order, touchPoints, policy.defaultTimezone, concerns, reaches);
  }

  app.get<{ Params: TokenParams }>('/plan/:token', async (request, reply) => {
    const link = await pages.open(request, reply, request.params.token, 'plan');
    if (link === null) return reply;
    const parts = await load(link);
    if (parts === null) return pages.notFound(request, reply);
    return pages.send(reply, 200, link.t, link.t.planTitle, planHtml(pages, link, parts), false);
  });

  app.get<{ Params: TokenParams }>('/plan/:token/meetings.ics', async (request, reply) => {
    const link = await pages.open(request, reply, request.params.token, 'plan');
    if (link === null) return reply;
    const parts = await load(link);
    if (parts === null) return pages.notFound(request, reply);
    const { business, publicUrl } = pages.deps.config;
    const calendar = meetingsCalendar(parts, link.t, business.name, new URL(publicUrl).hostname);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="meetings.ics"')
      .type('text/calendar; charset=utf-8')
      .send(calendar);
  });
}
