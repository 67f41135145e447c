// The mailing list's pages. /list: the public sign-up form (the answer is the same whatever the
// address, so the form tells nobody who is on the list; a client address may sign up 10 times an
// hour, and each address gets a few confirmation mails at most: engine/commands/mailingList.ts).
// /list/confirm/:token: the confirm link of the confirmation mail; GET shows what the person
// agrees to and a button, POST confirms (mail scanners open links, and must confirm nothing).
// /list/u/:token: the unsubscribe link of every digest; GET explains with one button, POST
// unsubscribes, from the button or as a mailbox provider's RFC 8058 one-click POST.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LinkPurpose } from '../../engine/links/token.js';
import { listTextsFor, listTextsForHeader, type ListTexts } from '../../engine/list/texts.js';
import type { Subscriber } from '../../store/ports/mailingList.js';
import type { Pages } from './context.js';
import { firstOf, formOf } from './form.js';
import { esc, paragraph } from './layout.js';
import { languageOf, textsFor, type Texts } from './texts.js';

interface TokenParams {
  token: string;
}

const HOUR = 3_600_000;

interface OpenedSubscriber {
  subscriber: Subscriber;
  t: Texts;
  lt: ListTexts;
}

function textsOf(locale: string | null): { t: Texts; lt: ListTexts } {
  return { t: textsFor(languageOf(locale)), lt: listTextsFor(languageOf(locale)) };
}

/** The link's subscriber, or null once a 404 (invalid, unknown) or 410 (expired) page is sent. */
async function openLink(
  pages: Pages,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  purpose: LinkPurpose,
): Promise<OpenedSubscriber | null> {
  const check = pages.deps.linkTokens.verify(token, pages.deps.clock.now());
  if (check.status === 'expired' && check.purpose === purpose) {
    const t = pages.textsOf(request);
    pages.send(reply, 410, t, t.expiredTitle, paragraph(t.expired));
    return null;
  }
  if (check.status !== 'valid' || check.claims.purpose !== purpose) {
    pages.notFound(request, reply);
    return null;
  }
  const subscriber = await pages.deps.commands.mailingList.get(check.claims.customerId);
  if (subscriber === null) {
    pages.notFound(request, reply);
    return null;
  }
  return { subscriber, ...textsOf(subscriber.locale) };
}

function signUpForm(pages: Pages, lt: ListTexts, email: string): string {
  return `<form method="post" action="${esc(`${pages.base}/list`)}">
<input type="hidden" name="lang" value="${lt.lang}">
<label for="email">${esc(lt.emailLabel)}</label>
<input type="email" id="email" name="email" autocomplete="email" required value="${esc(email)}">
<button type="submit">${esc(lt.signUpButton)}</button>
</form>`;
}

export function listRoutes(app: FastifyInstance, pages: Pages): void {
  const business = pages.deps.config.business.name;
  // Per client address, beside the per-address limit on confirmation mails.
  const perClient = app.createRateLimit({
    max: 10,
    timeWindow: HOUR,
    keyGenerator: (request) => `list-signup:${request.ip}`,
  });

  app.get('/list', (request, reply) => {
    const lt = listTextsForHeader(request.headers['accept-language']);
    const t = textsFor(lt.lang);
    const body = `${paragraph(lt.signUpIntro(business))}${signUpForm(pages, lt, '')}`;
    return pages.send(reply, 200, t, lt.signUpTitle, body);
  });

  app.post('/list', async (request, reply) => {
    const fields = formOf(request.body);
    const lang = firstOf(fields, 'lang');
    const lt = lang ? listTextsFor(lang) : listTextsForHeader(request.headers['accept-language']);
    const t = textsFor(lt.lang);
    const email = (firstOf(fields, 'email') ?? '').slice(0, 320);
    const limited = await perClient(request);
    if (!limited.isAllowed && limited.isExceeded) {
      reply.header('retry-after', limited.ttlInSeconds);
      return pages.send(reply, 429, t, lt.checkInboxTitle, paragraph(lt.checkInbox));
    }
    const result = await pages.deps.commands.mailingList.signUp({
      email,
      locale: lt.lang,
      source: 'form',
      ip: request.ip,
    });
    if (!result.ok) {
      const body = `${paragraph(lt.badEmail, 'problem')}${signUpForm(pages, lt, email)}`;
      return pages.send(reply, 400, t, lt.signUpTitle, body);
    }
    // The same answer whatever happened: the page tells nobody whether an address is on the list.
    return pages.send(reply, 200, t, lt.checkInboxTitle, paragraph(lt.checkInbox));
  });

  app.get<{ Params: TokenParams }>('/list/confirm/:token', async (request, reply) => {
    const link = await openLink(pages, request, reply, request.params.token, 'list-confirm');
    if (link === null) return reply;
    const { subscriber, t, lt } = link;
    if (subscriber.status === 'confirmed')
      return pages.send(reply, 200, t, lt.confirmedTitle, paragraph(lt.confirmed));
    if (subscriber.status !== 'pending')
      return pages.send(reply, 409, t, lt.confirmTitle, paragraph(lt.notPending));
    const body = `${paragraph(pages.deps.commands.mailingList.consentWording(subscriber.locale))}
<p>${esc(subscriber.email)}</p>
<form method="post" action="${esc(`${pages.base}/list/confirm/${request.params.token}`)}">
<button type="submit">${esc(lt.confirmButton)}</button>
</form>`;
    return pages.send(reply, 200, t, lt.confirmTitle, body);
  });

  app.post<{ Params: TokenParams }>('/list/confirm/:token', async (request, reply) => {
    const link = await openLink(pages, request, reply, request.params.token, 'list-confirm');
    if (link === null) return reply;
    const { t, lt } = link;
    const userAgent = request.headers['user-agent'];
    const result = await pages.deps.commands.mailingList.confirm(link.subscriber.id, {
      ip: request.ip,
      userAgent: typeof userAgent === 'string' ? userAgent : null,
    });
    if (!result.ok) return pages.send(reply, 409, t, lt.confirmTitle, paragraph(lt.notPending));
    return pages.send(reply, 200, t, lt.confirmedTitle, paragraph(lt.confirmed));
  });

  app.get<{ Params: TokenParams }>('/list/u/:token', async (request, reply) => {
    const link = await openLink(pages, request, reply, request.params.token, 'list-unsubscribe');
    if (link === null) return reply;
    const { subscriber, t, lt } = link;
    if (subscriber.status === 'unsubscribed')
      return pages.send(reply, 200, t, lt.unsubscribedTitle, paragraph(lt.unsubscribed));
    const body = `${paragraph(lt.unsubscribeExplain)}
<p>${esc(subscriber.email)}</p>
<form method="post" action="${esc(`${pages.base}/list/u/${request.params.token}`)}">
<button type="submit">${esc(lt.unsubscribeButton)}</button>
</form>`;
    return pages.send(reply, 200, t, lt.unsubscribeTitle, body);
  });

  app.post<{ Params: TokenParams }>('/list/u/:token', async (request, reply) => {
    const link = await openLink(pages, request, reply, request.params.token, 'list-unsubscribe');
    if (link === null) return reply;
    const { t, lt } = link;
    const oneClick = firstOf(formOf(request.body), 'List-Unsubscribe') === 'One-Click';
    await pages.deps.commands.mailingList.unsubscribe(link.subscriber.id, oneClick ? 'one-click' : 'page');
    if (oneClick) {
      return reply
        .code(200)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(`${lt.unsubscribedOneClick}\n`);
    }
    return pages.send(reply, 200, t, lt.unsubscribedTitle, paragraph(lt.unsubscribed));
  });
}

/** The preferences page's news digest section: the state, or a button that signs the customer up. */
export async function listSection(
  pages: Pages,
  email: string | null,
  locale: string | null,
  token: string,
): Promise<string> {
  if (email === null) return '';
  const lt = listTextsFor(languageOf(locale));
  const subscriber = await pages.deps.commands.mailingList.findByEmail(email);
  if (subscriber?.status === 'confirmed') {
    return `<section><h2>${esc(lt.listLegend)}</h2>${paragraph(lt.listOn)}</section>`;
  }
  const pending = subscriber?.status === 'pending' ? paragraph(lt.listPending, 'note') : '';
  return `<section><h2>${esc(lt.listLegend)}</h2>${pending}${paragraph(lt.listOffer)}
<form method="post" action="${esc(`${pages.base}/preferences/${token}/list`)}">
<button type="submit">${esc(lt.listButton)}</button>
</form></section>`;
}
