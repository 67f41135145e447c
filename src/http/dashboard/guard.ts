// Who is asking, on every dashboard request: the session cookie names a session (commands
// sessions.resolve: idle and absolute expiry, disabled users); the route's permission is then
// checked against the user's role. No session: a page asks to sign in, a form post gets 401.
// Wrong role: 403, whatever the page would have shown.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { may } from '../../core/roles.js';
import type { ActiveSession, SessionCommands } from '../../engine/commands/sessions.js';
import { DASHBOARD_PREFIX, type DashboardRoute } from './routes.js';

export const SESSION_COOKIE = 'aftercare_session';

const signedIn = new WeakMap<FastifyRequest, ActiveSession>();

/** The signed-in user of a request the guard admitted. */
export function activeOf(request: FastifyRequest): ActiveSession {
  const active = signedIn.get(request);
  if (active === undefined) throw new Error('dashboard route without its guard');
  return active;
}

export class GuardRefusal extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export function guard(sessions: SessionCommands, route: DashboardRoute) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = request.cookies[SESSION_COOKIE];
    const active = token === undefined ? null : await sessions.resolve(token);
    if (active === null) {
      if (request.method === 'GET') {
        const next = encodeURIComponent(request.url);
        await reply.redirect(`${DASHBOARD_PREFIX}/login?next=${next}`, 303);
        return reply;
      }
      throw new GuardRefusal(401, 'Your session has ended. Sign in again.');
    }
    if (route.permission !== null && !may(active.user.role, route.permission)) {
      throw new GuardRefusal(403, `A ${active.user.role} may not ${route.what}.`);
    }
    signedIn.set(request, active);
  };
}
