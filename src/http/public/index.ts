// The customer-facing pages behind the links in messages: unsubscribe (/u), preferences,
// survey (/s), the plan (/plan), no more tips (/tips), help, the mailing list (/list: sign-up,
// confirm, unsubscribe) and a deal's proposed plan (/proposal), with their stylesheet. Server-rendered HTML, no script;
// registered inside the browser-facing scope, so helmet's headers (and its CSP) apply. Links are
// opened with the link secret (engine/links/token.ts); docs/public-pages.md describes each page.
import type { FastifyInstance } from 'fastify';
import { Pages, type PublicPagesDeps } from './context.js';
import { registerFormParsers } from './form.js';
import { contactsHtml, esc, STYLESHEET } from './layout.js';
import { listRoutes } from './list.js';
import { planRoutes } from './plan.js';
import { preferencesRoutes } from './preferences.js';
import { proposalRoutes } from './proposal.js';
import { surveyRoutes } from './survey.js';
import { tipsRoutes } from './tips.js';
import { unsubscribeRoutes } from './unsubscribe.js';

export type { PublicPagesDeps } from './context.js';

export function publicPages(app: FastifyInstance, deps: PublicPagesDeps, done: (err?: Error) => void): void {
  const pages = new Pages(deps);
  registerFormParsers(app);

  app.get('/assets/pages.css', (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STYLESHEET),
  );

  app.get('/help', (request, reply) => {
    const t = pages.textsOf(request);
    const body = `<p>${esc(t.helpIntro)}</p>${contactsHtml(t, deps.config.business)}`;
    return pages.send(reply, 200, t, t.helpTitle, body, false);
  });

  unsubscribeRoutes(app, pages);
  preferencesRoutes(app, pages);
  surveyRoutes(app, pages);
  planRoutes(app, pages);
  tipsRoutes(app, pages);
  listRoutes(app, pages);
  proposalRoutes(app, pages);
  done();
}
