// /u/:token: the unsubscribe link of every optional message. GET explains and offers one button;
// it never changes anything (mail scanners open every link). POST unsubscribes at once: from the
// page's button (a confirmation page), or from a mailbox provider's RFC 8058 one-click POST
// (`List-Unsubscribe=One-Click`, answered 200 with a short text). Recorded once per touch point.
import type { FastifyInstance } from 'fastify';
import type { OpenedLink, Pages } from './context.js';
import { firstOf, formOf } from './form.js';
import { esc, paragraph } from './layout.js';

interface TokenParams {
  token: string;
}

function preferencesLink(pages: Pages, link: OpenedLink): string {
  const href = pages.linkTo(
    'preferences',
    {
      purpose: 'preferences',
      customerId: link.customer.id,
      touchPointId: link.claims.touchPointId,
      orderId: null,
    },
    pages.deps.linkTokens.lifetimes.preferences,
  );
  return `<p><a href="${esc(href)}">${esc(link.t.preferencesLink)}</a></p>`;
}

export function unsubscribeRoutes(app: FastifyInstance, pages: Pages): void {
  app.get<{ Params: TokenParams }>('/u/:token', async (request, reply) => {
    const link = await pages.open(request, reply, request.params.token, 'unsubscribe');
    if (link === null) return reply;
    const { t } = link;
    const already = link.customer.unsubscribedAt !== null ? paragraph(t.unsubscribeAlready, 'note') : '';
    const body = `${already}${paragraph(t.unsubscribeExplain)}${paragraph(t.unsubscribeStill)}
<form method="post" action="${esc(`${pages.base}/u/${link.token}`)}">
<input type="hidden" name="confirm" value="page">
<button type="submit">${esc(t.unsubscribeButton)}</button>
</form>
${preferencesLink(pages, link)}`;
    return pages.send(reply, 200, t, t.unsubscribeTitle, body);
  });

  app.post<{ Params: TokenParams }>('/u/:token', async (request, reply) => {
    const link = await pages.open(request, reply, request.params.token, 'unsubscribe');
    if (link === null) return reply;
    const oneClick = firstOf(formOf(request.body), 'List-Unsubscribe') === 'One-Click';
    await unsubscribe(pages, link, oneClick ? 'one-click' : 'page');
    const { t } = link;
    if (oneClick) {
      return reply
        .code(200)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(`${t.unsubscribedOneClick}\n`);
    }
    return pages.send(
      reply,
      200,
      t,
      t.unsubscribedTitle,
      `${paragraph(t.unsubscribedDone)}${preferencesLink(pages, link)}`,
    );
  });
}

/** `customer.unsubscribed`, one per touch point (the event id): a second POST changes nothing. */
async function unsubscribe(pages: Pages, link: OpenedLink, source: 'one-click' | 'page'): Promise<void> {
  const { claims } = link;
  const about = claims.touchPointId ?? `customer:${claims.customerId}`;
  await pages.deps.commands.ingest.events([
    {
      id: `unsubscribe:${about}`,
      type: 'customer.unsubscribed',
      at: pages.deps.clock.now(),
      customerId: claims.customerId,
      orderId: null,
      data: { source, touchPointId: claims.touchPointId },
    },
  ]);
}
