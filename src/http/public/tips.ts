// /tips/:token: "I'm all set, no more tips", the link in every tip e-mail (a `tip: N` step). GET
// only asks (mail scanners open every link); POST records `customer.preferences_changed` with
// `tipsDone` for the tip's order, and the later tips of its series are skipped `tips_done` when
// they come due (core/policy/tips.ts). Other messages and other orders' tips are not affected.
import type { FastifyInstance } from 'fastify';
import type { Pages, TouchPointLink } from './context.js';
import { esc, paragraph } from './layout.js';

interface TokenParams {
  token: string;
}

function stopped(link: TouchPointLink): boolean {
  return (link.customer.preferences.tipsDone ?? []).some((d) => d.orderId === link.touchPoint.orderId);
}

function preferencesLink(pages: Pages, link: TouchPointLink): string {
  const href = pages.linkTo(
    'preferences',
    { purpose: 'preferences', customerId: link.customer.id, touchPointId: link.touchPoint.id, orderId: null },
    pages.deps.linkTokens.lifetimes.preferences,
  );
  return `<p><a href="${esc(href)}">${esc(link.t.preferencesLink)}</a></p>`;
}

export function tipsRoutes(app: FastifyInstance, pages: Pages): void {
  app.get<{ Params: TokenParams }>('/tips/:token', async (request, reply) => {
    const link = await pages.openTouchPoint(request, reply, request.params.token, 'tips');
    if (link === null) return reply;
    const { t } = link;
    const body = stopped(link)
      ? `${paragraph(t.tipsAlready, 'note')}${preferencesLink(pages, link)}`
      : `${paragraph(t.tipsAsk)}<form method="post" action="${esc(`${pages.base}/tips/${link.token}`)}">
<button type="submit">${esc(t.tipsButton)}</button>
</form>${preferencesLink(pages, link)}`;
    return pages.send(reply, 200, t, t.tipsTitle, body);
  });

  app.post<{ Params: TokenParams }>('/tips/:token', async (request, reply) => {
    const link = await pages.openTouchPoint(request, reply, request.params.token, 'tips');
    if (link === null) return reply;
    const { t, touchPoint } = link;
    if (!stopped(link)) {
      const now = pages.deps.clock.now();
      await pages.deps.commands.ingest.events([
        {
          // One per tip e-mail: pressing the button again records nothing new.
          id: `tips-done:${touchPoint.id}`,
          type: 'customer.preferences_changed',
          at: now,
          customerId: touchPoint.customerId,
          orderId: null,
          data: {
            tipsDone: { orderId: touchPoint.orderId, why: 'all_set' },
            touchPointId: touchPoint.id,
            source: 'page',
          },
        },
      ]);
    }
    return pages.send(
      reply,
      200,
      t,
      t.tipsTitle,
      `${paragraph(t.tipsStopped, 'note')}${preferencesLink(pages, link)}`,
    );
  });
}
