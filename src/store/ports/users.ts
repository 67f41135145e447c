// The users capability: the people who sign in to the dashboard (owner, manager, rep, viewer)
// and their sessions. Passwords arrive hashed (engine/commands/passwords.ts) and sessions by the
// hash of their token: neither a password nor a session token is ever stored.
import type { Millis } from '../../core/domain.js';
import type { Role } from '../../core/roles.js';

export interface User {
  id: string;
  /** As given; unique in any case (the store keys it lower-cased). */
  email: string;
  name: string | null;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (engine/commands/passwords.ts). */
  passwordHash: string;
  /** IANA zone the user's times are shown in. */
  timeZone: string;
  createdAt: Millis;
  /** From then on the user cannot sign in and their sessions end; null: active. */
  disabledAt: Millis | null;
}

export interface Session {
  /** SHA-256 (base64url) of the cookie's token. */
  id: string;
  userId: string;
  createdAt: Millis;
  /** Last request seen, to the minute (see touchSession); the idle expiry counts from it. */
  lastSeenAt: Millis;
  /** The absolute end, however active the session is. */
  expiresAt: Millis;
}

export interface UserStore {
  /** False when a user with this address (any case) exists already. */
  createUser(user: User): Promise<boolean>;
  getUser(id: string): Promise<User | null>;
  findUserByEmail(email: string): Promise<User | null>;
  /** Every user, disabled ones included, by e-mail address. */
  listUsers(): Promise<User[]>;
  /** Marks the user disabled (the first time is kept) and ends their sessions; null: no such user. */
  disableUser(id: string, at: Millis): Promise<User | null>;

  createSession(session: Session): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  /** Moves lastSeenAt to `at` unless it moved less than `everyMs` before (one write per minute). */
  touchSession(id: string, at: Millis, everyMs: Millis): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of the user; resolves to how many there were. */
  deleteUserSessions(userId: string): Promise<number>;
  /** Deletes sessions past their absolute end or idle since `idleBefore`; how many. */
  purgeSessions(now: Millis, idleBefore: Millis): Promise<number>;
}
