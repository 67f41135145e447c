// The dashboard under /dashboard: server-rendered pages for owners, managers, reps and viewers
// (docs/dashboard.md). Its own scope holds the cookie and CSRF plugins, form parsing, an HTML
// error page, and a guard on every route (guard.ts, the table in routes.ts). Pages read and
// change through the application commands only.
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Clock } from '../../engine/clock.js';
import type { Commands } from '../../engine/commands/commands.js';
import { asRequestError } from '../errors.js';
import { firstOf, formOf, registerFormParsers } from '../public/form.js';
import { customerRoutes } from './customers.js';
import { effectivenessRoutes } from './effectiveness/index.js';
import { activeOf, GuardRefusal, guard, SESSION_COOKIE } from './guard.js';
import { inboxRoutes } from './inbox.js';
import { DASHBOARD_STYLESHEET, dashboardPage, esc } from './layout.js';
import { loginRoutes } from './login.js';
import { outboxRoutes } from './outbox.js';
import { overviewRoutes } from './overview.js';
import { privacyActionRoutes } from './privacyActions.js';
import { playbookRoutes } from './playbooks.js';
import { playbookToolRoutes } from './playbookTools.js';
import { DASHBOARD_PREFIX, routeOf, type DashboardPath } from './routes.js';
import { touchPointActionRoutes } from './touchPointActions.js';
import { settingsRoutes } from './settings.js';

export interface DashboardDeps {
  config: Readonly<Config>;
  commands: Commands;
  /** The business's clock (what is due today); sessions keep the wall clock (commands). */
  clock: Clock;
}

/** What each page module is given. */
export interface DashboardContext {
  deps: DashboardDeps;
  /** Registers a route of the table in routes.ts behind its guard. */
  route(
    method: 'GET' | 'POST',
    path: DashboardPath,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  ): void;
  /** Sends a page: the user, their CSRF token and the navigation filled in. */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { title: string; body: string; current?: string; status?: number },
  ): FastifyReply;
}

/** Cookie options of the session and of the CSRF secret. */
export function cookieOptions(config: Readonly<Config>, request: FastifyRequest) {
  const secure =
    config.dashboard.cookieSecure === 'auto' ? request.protocol === 'https' : config.dashboard.cookieSecure;
  return { path: DASHBOARD_PREFIX, httpOnly: true, sameSite: 'lax' as const, secure };
}

export async function dashboard(app: FastifyInstance, deps: DashboardDeps): Promise<void> {
  const { config } = deps;
  registerFormParsers(app);
  // The cookie secret signs the CSRF secret's cookie; derived from AFTERCARE_SECRET, or random
  // (tests), in which case a restart only asks people to reload their forms.
  await app.register(cookie, { secret: config.secrets.current ?? randomBytes(32).toString('base64url') });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'aftercare_csrf',
    cookieOpts: { path: DASHBOARD_PREFIX, httpOnly: true, sameSite: 'lax', signed: true },
    getToken: (request) => firstOf(formOf(request.body), '_csrf'),
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    const csrfFailed = isCsrfError(error);
    const known = error instanceof GuardRefusal || csrfFailed ? null : asRequestError(error);
    const status = error instanceof GuardRefusal ? error.status : csrfFailed ? 403 : (known?.status ?? 500);
    const message =
      error instanceof GuardRefusal
        ? error.message
        : csrfFailed
          ? 'This form has expired. Go back, reload the page and try again.'
          : status < 500
            ? (known?.message ?? 'The request could not be read.')
            : 'Something went wrong on our side; it has been logged.';
    if (status >= 500) request.log.error({ err: error }, 'dashboard request failed');
    const title = status === 401 ? 'Please sign in' : status === 403 ? 'Not allowed' : 'Something went wrong';
    const link =
      status === 401
        ? `<p><a href="${DASHBOARD_PREFIX}/login">Sign in</a></p>`
        : `<p><a href="${DASHBOARD_PREFIX}/">Back to the dashboard</a></p>`;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        dashboardPage({
          title,
          body: `<p class="error" role="alert">${esc(message)}</p>${link}`,
          businessName: config.business.name,
        }),
      );
  });

  app.get('/assets/dashboard.css', (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/css; charset=utf-8')
      .send(DASHBOARD_STYLESHEET),
  );

  const context: DashboardContext = {
    deps,
    route(method, path, handler) {
      const entry = routeOf(method, path);
      const preHandler = [guard(deps.commands.sessions, entry)];
      if (method === 'POST') preHandler.push(app.csrfProtection.bind(app) as never);
      app.route({ method, url: path, preHandler, handler });
    },
    send(request, reply, page) {
      const { user } = activeOf(request);
      return reply
        .code(page.status ?? 200)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(
          dashboardPage({
            ...page,
            user,
            csrf: reply.generateCsrf(),
            businessName: config.business.name,
          }),
        );
    },
  };

  loginRoutes(app, context);
  overviewRoutes(context);
  inboxRoutes(context);
  customerRoutes(context);
  effectivenessRoutes(context);
  touchPointActionRoutes(context);
  privacyActionRoutes(context);
  playbookToolRoutes(context);
  playbookRoutes(context);
  outboxRoutes(context);
  settingsRoutes(context);
}

function isCsrfError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code.startsWith('FST_CSRF');
}

export { SESSION_COOKIE };
