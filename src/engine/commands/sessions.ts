// Dashboard sessions: signing in (a password check against the stored hash), the session a
// cookie's token names (refused once idle too long or past its absolute end, or when the user is
// disabled), signing out here or everywhere. Only the SHA-256 of a token is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Millis } from '../../core/domain.js';
import type { Session, User, UserStore } from '../../store/ports/users.js';
import type { Clock } from '../clock.js';
import { verifyPassword } from './passwords.js';

export interface SessionLifetimes {
  /** A session unused this long ends. */
  idleMs: Millis;
  /** A session ends this long after sign-in, however active. */
  absoluteMs: Millis;
}

/** lastSeenAt is written at most once per this interval, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export type SignIn = { ok: true; user: User; token: string; session: Session } | { ok: false };

export interface ActiveSession {
  user: User;
  session: Session;
}

export interface SessionCommands {
  /** The same answer for an unknown address, a wrong password and a disabled user. */
  signIn(email: string, password: string): Promise<SignIn>;
  /** The session and user a token names, if it is still good; null otherwise. */
  resolve(token: string): Promise<ActiveSession | null>;
  signOut(token: string): Promise<void>;
  /** Ends every session of the user (every browser and device); how many ended. */
  signOutEverywhere(userId: string): Promise<number>;
  /** Deletes ended sessions; how many. */
  purge(): Promise<number>;
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function sessionCommands(deps: {
  users: UserStore;
  clock: Clock;
  lifetimes: SessionLifetimes;
}): SessionCommands {
  const { users, clock, lifetimes } = deps;
  return {
    async signIn(email, password) {
      const user = await users.findUserByEmail(email);
      const matches = await verifyPassword(password, user?.passwordHash ?? null);
      if (user === null || !matches || user.disabledAt !== null) return { ok: false };
      const now = clock.now();
      const token = randomBytes(32).toString('base64url');
      const session: Session = {
        id: sessionIdOf(token),
        userId: user.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: now + lifetimes.absoluteMs,
      };
      await users.createSession(session);
      return { ok: true, user, token, session };
    },
    async resolve(token) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
      const session = await users.getSession(sessionIdOf(token));
      if (session === null) return null;
      const now = clock.now();
      if (now >= session.expiresAt || now - session.lastSeenAt >= lifetimes.idleMs) {
        await users.deleteSession(session.id);
        return null;
      }
      const user = await users.getUser(session.userId);
      if (user === null || user.disabledAt !== null) return null;
      await users.touchSession(session.id, now, TOUCH_EVERY_MS);
      return { user, session };
    },
    signOut: (token) => users.deleteSession(sessionIdOf(token)),
    signOutEverywhere: (userId) => users.deleteUserSessions(userId),
    purge: () => {
      const now = clock.now();
      return users.purgeSessions(now, now - lifetimes.idleMs);
    },
  };
}
