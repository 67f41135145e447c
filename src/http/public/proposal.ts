// /proposal/:token: a deal's proposed plan for the prospect, the same plan page a customer gets
// but marked "proposed": the steps the order will bring, timed from the expected close in the
// prospect's zone and language, the check-up meetings and calls with their aims and a calendar
// file (/proposal/:token/meetings.ics), and a one-page summary to attach (/proposal/:token/one-pager).
// Opening it counts as the plan shared before the close. Once the order closed the deal or it
// was lost, the pages only say the proposal is no longer open (the customer's own plan link
// comes with their messages).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { Deal } from '../../core/deals/deal.js';
import type { DealPreview } from '../../core/deals/preview.js';
import type { TouchPoint } from '../../core/domain.js';
import { resolveZone } from '../../core/localTime.js';
import type { Pages } from './context.js';
import { contactsHtml, esc, paragraph, STYLESHEET } from './layout.js';
import { localDateTime, meetingsCalendar, objectiveOf, type PlanParts } from './plan.js';
import { languageOf, stepPhrase, textsFor, type Texts } from './texts.js';

interface TokenParams {
  token: string;
}

/** What reaches the prospect once they are a customer: messages, meetings and calls with them. */
const SHOWN: ReadonlySet<string> = new Set(['email', 'sms', 'task:meeting', 'task:call']);

interface Proposal {
  deal: Deal;
  preview: DealPreview;
  /** The promised steps shown, meetings at their agreed times. */
  steps: TouchPoint[];
  meetings: TouchPoint[];
  zone: string;
  t: Texts;
}

function proposalOf(deal: Deal, preview: DealPreview, defaultZone: string): Proposal {
  const agreed = new Map(deal.meetings.map((m) => [`${m.playbook}/${m.step}`, m.at]));
  const steps = preview.steps
    .filter((s) => !s.conditional && SHOWN.has(s.step.channel))
    .map((s) => {
      const at = agreed.get(`${s.touchPoint.playbook}/${s.step.key}`);
      return at === undefined ? s.touchPoint : { ...s.touchPoint, dueAt: at };
    })
    .sort((a, b) => a.dueAt - b.dueAt);
  return {
    deal,
    preview,
    steps,
    meetings: steps.filter((tp) => tp.channel === 'task:meeting' || tp.channel === 'task:call'),
    zone: resolveZone(deal.contact.timeZone, defaultZone),
    t: textsFor(languageOf(deal.contact.locale)),
  };
}

function bodyHtml(pages: Pages, p: Proposal, token: string | null): string {
  const { t, zone, deal } = p;
  const closeOn = DateTime.fromMillis(deal.expectedCloseAt, { zone })
    .setLocale(t.lang)
    .toLocaleString(DateTime.DATE_FULL);
  const steps = p.steps
    .map(
      (tp) =>
        `<li>${esc(stepPhrase(t, tp.stepKey, tp.channel, tp.purpose))} <span class="when">(${esc(t.planDue(localDateTime(tp.dueAt, zone, t)))})</span></li>`,
    )
    .join('');
  const links =
    token === null
      ? ''
      : `<p><a href="${esc(`${pages.base}/proposal/${token}/meetings.ics`)}">${esc(t.meetingsIcs)}</a></p>`;
  const meetings =
    p.meetings.length === 0
      ? ''
      : `<h2>${esc(t.meetingsTitle)}</h2>
<ul class="steps">${p.meetings.map((tp) => `<li><strong>${esc(localDateTime(tp.dueAt, zone, t))}</strong>: ${esc(objectiveOf(tp, t))}</li>`).join('')}</ul>
${links}`;
  const onePager =
    token === null
      ? ''
      : `<p><a href="${esc(`${pages.base}/proposal/${token}/one-pager`)}">${esc(t.proposalOnePager)}</a></p>`;
  return `<p class="note"><strong>${esc(t.proposalBanner)}</strong></p>
${paragraph(t.proposalFor(deal.company, closeOn))}
${paragraph(t.planTimesIn(zone))}
<h2>${esc(t.proposalSteps)}</h2>
<ul class="steps">${steps}</ul>
${meetings}
${onePager}
${contactsHtml(t, pages.deps.config.business, t.planHelpTitle)}`;
}

/** The one-pager: one self-contained HTML file (styles inline, nothing fetched) to attach or print. */
function onePagerHtml(pages: Pages, p: Proposal): string {
  const { t } = p;
  const business = pages.deps.config.business;
  return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.proposalTitle)} · ${esc(business.name)}</title>
<style>${STYLESHEET}
@media print{body{max-width:none;font-size:10pt}a{color:inherit;text-decoration:none}}</style>
</head>
<body>
<header><p class="brand">${esc(business.name)}</p></header>
<main>
<h1>${esc(t.proposalTitle)}</h1>
${bodyHtml(pages, p, null)}
</main>
</body>
</html>
`;
}

export function proposalRoutes(app: FastifyInstance, pages: Pages): void {
  /** The deal's proposal, or null once a 404, 410 or "no longer open" page is sent. */
  async function open(request: FastifyRequest, reply: FastifyReply, token: string): Promise<Proposal | null> {
    const check = pages.deps.linkTokens.verify(token, pages.deps.clock.now());
    if (check.status === 'expired' && check.purpose === 'proposal') {
      const t = pages.textsOf(request);
      pages.send(reply, 410, t, t.expiredTitle, paragraph(t.expired));
      return null;
    }
    if (check.status !== 'valid' || check.claims.purpose !== 'proposal') {
      pages.notFound(request, reply);
      return null;
    }
    const deals = pages.deps.commands.deals;
    const deal = await deals.get(check.claims.customerId);
    if (deal === null) {
      pages.notFound(request, reply);
      return null;
    }
    if (deal.orderId !== null || deal.stage === 'lost') {
      // Said plainly and to nobody else: a lost deal tells no one anything.
      const t = textsFor(languageOf(deal.contact.locale));
      pages.send(reply, 410, t, t.proposalClosedTitle, paragraph(t.proposalClosed));
      return null;
    }
    // GET changes no state the prospect sees: it only notes, once, that the plan was shared.
    await deals.opened(deal.id);
    return proposalOf(deal, deals.preview(deal), pages.deps.config.policy.defaultTimezone);
  }

  app.get<{ Params: TokenParams }>('/proposal/:token', async (request, reply) => {
    const p = await open(request, reply, request.params.token);
    if (p === null) return reply;
    return pages.send(reply, 200, p.t, p.t.proposalTitle, bodyHtml(pages, p, request.params.token), false);
  });

  app.get<{ Params: TokenParams }>('/proposal/:token/meetings.ics', async (request, reply) => {
    const p = await open(request, reply, request.params.token);
    if (p === null) return reply;
    const { business, publicUrl } = pages.deps.config;
    const parts: PlanParts = {
      customer: p.preview.customer,
      order: p.preview.order,
      happened: [],
      next: p.steps,
      meetings: p.meetings,
      concerns: [],
      zone: p.zone,
    };
    const calendar = meetingsCalendar(parts, p.t, business.name, new URL(publicUrl).hostname);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="proposed-meetings.ics"')
      .type('text/calendar; charset=utf-8')
      .send(calendar);
  });

  app.get<{ Params: TokenParams }>('/proposal/:token/one-pager', async (request, reply) => {
    const p = await open(request, reply, request.params.token);
    if (p === null) return reply;
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('content-disposition', 'attachment; filename="proposed-plan.html"')
      .type('text/html; charset=utf-8')
      .send(onePagerHtml(pages, p));
  });
}
