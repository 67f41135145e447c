// Signing in and out: the sign-in form (CSRF-protected like every form, limited per account and
// per client address, counted in the store so every process on one database counts together),
// the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), signing out here and
// everywhere, and the start page each role lands on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { may } from '../../core/roles.js';
import { firstOf, formOf } from '../public/form.js';
import { SESSION_COOKIE, activeOf } from './guard.js';
import { cookieOptions, type DashboardContext } from './index.js';
import { csrfField, dashboardPage, esc } from './layout.js';
import { DASHBOARD_PREFIX } from './routes.js';

/** Only a path inside the dashboard: `next` never sends anyone elsewhere. */
export function safeNext(raw: string | undefined): string {
  if (
    raw === undefined ||
    !raw.startsWith(`${DASHBOARD_PREFIX}/`) ||
    raw.startsWith('//') ||
    raw.includes('\\')
  ) {
    return `${DASHBOARD_PREFIX}/`;
  }
  return raw;
}

export function loginRoutes(app: FastifyInstance, context: DashboardContext): void {
  const { deps } = context;
  const { config, commands } = deps;
  const limits = { account: config.dashboard.loginAccountLimit, address: config.dashboard.loginIpLimit };

  function form(
    reply: FastifyReply,
    next: string,
    status: number,
    problem: string | null,
    email = '',
  ): FastifyReply {
    const body = `${problem === null ? '' : `<p class="error" role="alert" id="problem">${esc(problem)}</p>`}
<form class="card login" method="post" action="${DASHBOARD_PREFIX}/login">
${csrfField(reply.generateCsrf())}
<input type="hidden" name="next" value="${esc(next)}">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${esc(email)}"${problem === null ? '' : ' aria-describedby="problem"'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p>
</form>`;
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(dashboardPage({ title: 'Sign in', body, businessName: config.business.name }));
  }

  app.get('/login', async (request: FastifyRequest<{ Querystring: { next?: string } }>, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token !== undefined && (await commands.sessions.resolve(token)) !== null) {
      return reply.redirect(safeNext(request.query.next), 303);
    }
    return form(reply, safeNext(request.query.next), 200, null);
  });

  app.post('/login', { preHandler: app.csrfProtection.bind(app) }, async (request, reply) => {
    const fields = formOf(request.body);
    const email = (firstOf(fields, 'email') ?? '').trim();
    const password = firstOf(fields, 'password') ?? '';
    const next = safeNext(firstOf(fields, 'next'));
    const wait = await commands.signInLimits.attempt(email, request.ip, limits);
    if (wait !== null) {
      reply.header('retry-after', String(wait));
      return form(
        reply,
        next,
        429,
        `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`,
        email,
      );
    }
    const signedIn = await commands.sessions.signIn(email, password);
    if (!signedIn.ok) {
      return form(reply, next, 401, 'That e-mail address and password do not match an active user.', email);
    }
    await commands.signInLimits.succeeded(email);
    reply.setCookie(SESSION_COOKIE, signedIn.token, {
      ...cookieOptions(config, request),
      maxAge: Math.floor(config.dashboard.sessionMaxMs / 1000),
    });
    return reply.redirect(next, 303);
  });

  context.route('GET', '/', (request, reply) => {
    const { user } = activeOf(request);
    const start = may(user.role, 'overview') ? '/overview' : '/inbox';
    return Promise.resolve(reply.redirect(`${DASHBOARD_PREFIX}${start}`, 303));
  });

  context.route('POST', '/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token !== undefined) await commands.sessions.signOut(token);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(config, request));
    return reply.redirect(`${DASHBOARD_PREFIX}/login`, 303);
  });

  context.route('POST', '/sign-out-everywhere', async (request, reply) => {
    await commands.sessions.signOutEverywhere(activeOf(request).user.id);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(config, request));
    return reply.redirect(`${DASHBOARD_PREFIX}/login`, 303);
  });
}
