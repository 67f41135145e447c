// /preferences/:token: what a customer hears from us. Topics (check-ins, education, offers, news)
// and channels (e-mail, SMS) switched on or off, or a 30-day break; transactional messages are
// not optional and the page says so. GET shows the current choices; POST records
// `customer.preferences_changed` (intake applies it to the customer) and shows what was saved.
// Below it, the news digest: the customer's state on the mailing list, or a button that signs them
// up (POST /preferences/:token/list sends the confirmation mail; public/list.ts).
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { Customer, Millis } from '../../core/domain.js';
import { resolveZone } from '../../core/localTime.js';
import {
  OPTIONAL_CHANNELS,
  TOPICS,
  type OptionalChannel,
  type Preferences,
  type Topic,
} from '../../core/listening/types.js';
import type { OpenedLink, Pages } from './context.js';
import { formOf, type FormFields } from './form.js';
import { listSection } from './list.js';
import { listTextsFor } from '../../engine/list/texts.js';
import { esc, paragraph } from './layout.js';
import type { Texts } from './texts.js';

const PAUSE_MS = 30 * 86_400_000;
const PAUSES = ['none', '30d', 'keep'] as const;

interface TokenParams {
  token: string;
}

export function localDate(at: Millis, zone: string, t: Texts): string {
  return DateTime.fromMillis(at, { zone }).setLocale(t.lang).toLocaleString(DateTime.DATE_FULL);
}

function checkbox(name: string, value: string, label: string, checked: boolean): string {
  const id = `${name}-${value}`;
  return `<label for="${id}"><input type="checkbox" id="${id}" name="${name}" value="${value}"${checked ? ' checked' : ''}> ${esc(label)}</label>`;
}

function radio(name: string, value: string, label: string, checked: boolean): string {
  const id = `${name}-${value}`;
  return `<label for="${id}"><input type="radio" id="${id}" name="${name}" value="${value}"${checked ? ' checked' : ''}> ${esc(label)}</label>`;
}

function form(pages: Pages, link: OpenedLink, customer: Customer, now: Millis): string {
  const { t } = link;
  const prefs = customer.preferences;
  const zone = resolveZone(customer.timezone, pages.deps.config.policy.defaultTimezone);
  const paused = prefs.pausedUntil !== null && prefs.pausedUntil > now ? prefs.pausedUntil : null;
  const topics = TOPICS.map((topic) =>
    checkbox('topic', topic, t.topics[topic], !prefs.topicsOff.includes(topic)),
  ).join('\n');
  const channels = OPTIONAL_CHANNELS.map((channel) =>
    checkbox('channel', channel, t.channels[channel], !prefs.channelsOff.includes(channel)),
  ).join('\n');
  const pauses = [
    paused !== null ? radio('pause', 'keep', t.pauseKeep(localDate(paused, zone, t)), true) : '',
    radio('pause', 'none', t.pauseNone, paused === null),
    radio('pause', '30d', t.pause30, false),
  ].join('\n');
  return `<form method="post" action="${esc(`${pages.base}/preferences/${link.token}`)}">
<input type="hidden" name="form" value="preferences">
<fieldset><legend>${esc(t.topicsLegend)}</legend>
${topics}
</fieldset>
<fieldset><legend>${esc(t.channelsLegend)}</legend>
${channels}
</fieldset>
<fieldset><legend>${esc(t.pauseLegend)}</legend>
${pauses}
</fieldset>
${paragraph(t.transactionalNote, 'note')}
<button type="submit">${esc(t.saveButton)}</button>
</form>`;
}

type Chosen = { ok: true; preferences: Preferences } | { ok: false; problem: string };

/** The submitted form as preferences: every value checked against the choices offered. */
export function chosenPreferences(fields: FormFields, current: Preferences, now: Millis, t: Texts): Chosen {
  const topicsOn = fields['topic'] ?? [];
  const channelsOn = fields['channel'] ?? [];
  const badTopic = topicsOn.find((v) => !(TOPICS as readonly string[]).includes(v));
  if (badTopic !== undefined) return { ok: false, problem: t.unknownChoice(t.topicsLegend, badTopic) };
  const badChannel = channelsOn.find((v) => !(OPTIONAL_CHANNELS as readonly string[]).includes(v));
  if (badChannel !== undefined) return { ok: false, problem: t.unknownChoice(t.channelsLegend, badChannel) };
  const pause = fields['pause']?.[0] ?? 'none';
  if (!(PAUSES as readonly string[]).includes(pause))
    return { ok: false, problem: t.unknownChoice(t.pauseLegend, pause) };
  const pausedUntil =
    pause === '30d'
      ? now + PAUSE_MS
      : pause === 'keep' && current.pausedUntil !== null && current.pausedUntil > now
        ? current.pausedUntil
        : null;
  return {
    ok: true,
    preferences: {
      topicsOff: TOPICS.filter((topic: Topic) => !topicsOn.includes(topic)),
      channelsOff: OPTIONAL_CHANNELS.filter((channel: OptionalChannel) => !channelsOn.includes(channel)),
      pausedUntil,
    },
  };
}

export function preferencesRoutes(app: FastifyInstance, pages: Pages): void {
  app.get<{ Params: TokenParams }>('/preferences/:token', async (request, reply) => {
    const link = await pages.open(request, reply, request.params.token, 'preferences');
    if (link === null) return reply;
    const list = await listSection(pages, link.customer.email, link.customer.locale, link.token);
    const body = `${paragraph(link.t.preferencesIntro)}${form(pages, link, link.customer, pages.deps.clock.now())}${list}`;
    return pages.send(reply, 200, link.t, link.t.preferencesTitle, body);
  });

  app.post<{ Params: TokenParams }>('/preferences/:token', async (request, reply) => {
    const link = await pages.open(request, reply, request.params.token, 'preferences');
    if (link === null) return reply;
    const { t, customer, claims } = link;
    const now = pages.deps.clock.now();
    const chosen = chosenPreferences(formOf(request.body), customer.preferences, now, t);
    if (!chosen.ok) return pages.problem(reply, t, chosen.problem, `${pages.base}/preferences/${link.token}`);
    const { topicsOff, channelsOff, pausedUntil } = chosen.preferences;
    await pages.deps.commands.ingest.events([
      {
        id: `preferences:${claims.customerId}:${now}`,
        type: 'customer.preferences_changed',
        at: now,
        customerId: claims.customerId,
        orderId: null,
        data: { topicsOff, channelsOff, pausedUntil, source: 'page' },
      },
    ]);
    // Shown as stored: what the customer sees is what intake made of it.
    const saved = (await pages.deps.commands.customers.get(customer.id)) ?? customer;
    const list = await listSection(pages, saved.email, saved.locale, link.token);
    const body = `${paragraph(t.saved, 'note')}${form(pages, link, saved, now)}${list}`;
    return pages.send(reply, 200, t, t.preferencesTitle, body);
  });

  // The news digest from the preferences page: a confirmation mail to the customer's own address
  // (double opt-in even here: whoever holds a forwarded link cannot put the customer on the list).
  app.post<{ Params: TokenParams }>('/preferences/:token/list', async (request, reply) => {
    const link = await pages.open(request, reply, request.params.token, 'preferences');
    if (link === null) return reply;
    const { t, customer } = link;
    if (customer.email !== null) {
      await pages.deps.commands.mailingList.signUp({
        email: customer.email,
        locale: customer.locale,
        timezone: customer.timezone,
        source: 'preferences',
        ip: request.ip,
      });
    }
    const lt = listTextsFor(customer.locale);
    const list = await listSection(pages, customer.email, customer.locale, link.token);
    const body = `${paragraph(lt.checkInbox, 'note')}${form(pages, link, customer, pages.deps.clock.now())}${list}`;
    return pages.send(reply, 200, t, t.preferencesTitle, body);
  });
}
