// Dashboard users and sessions in memory, with the SQL stores' rules: one user per address in
// any case, disabling ends the user's sessions, touches are throttled, purges by both expiries.
import type { Millis } from '../../core/domain.js';
import type { Session, User, UserStore } from '../ports/users.js';
import { compareText } from '../records/storable.js';
import { settle } from './settle.js';

export class MemoryUsers implements UserStore {
  private readonly users = new Map<string, User>();
  private readonly sessions = new Map<string, Session>();

  createUser(user: User): Promise<boolean> {
    return settle(() => {
      const email = user.email.toLowerCase();
      for (const u of this.users.values()) if (u.email.toLowerCase() === email) return false;
      this.users.set(user.id, Object.freeze({ ...user }));
      return true;
    });
  }

  getUser(id: string): Promise<User | null> {
    return settle(() => this.users.get(id) ?? null);
  }

  findUserByEmail(email: string): Promise<User | null> {
    const wanted = email.trim().toLowerCase();
    return settle(() => [...this.users.values()].find((u) => u.email.toLowerCase() === wanted) ?? null);
  }

  listUsers(): Promise<User[]> {
    return settle(() =>
      [...this.users.values()].sort((a, b) => compareText(a.email.toLowerCase(), b.email.toLowerCase())),
    );
  }

  disableUser(id: string, at: Millis): Promise<User | null> {
    return settle(() => {
      const user = this.users.get(id);
      if (user === undefined) return null;
      const disabled = Object.freeze({ ...user, disabledAt: user.disabledAt ?? at });
      this.users.set(id, disabled);
      this.endSessionsOf(id);
      return disabled;
    });
  }

  createSession(session: Session): Promise<void> {
    return settle(() => {
      this.sessions.set(session.id, Object.freeze({ ...session }));
    });
  }

  getSession(id: string): Promise<Session | null> {
    return settle(() => this.sessions.get(id) ?? null);
  }

  touchSession(id: string, at: Millis, everyMs: Millis): Promise<void> {
    return settle(() => {
      const session = this.sessions.get(id);
      if (session !== undefined && session.lastSeenAt <= at - everyMs) {
        this.sessions.set(id, Object.freeze({ ...session, lastSeenAt: at }));
      }
    });
  }

  deleteSession(id: string): Promise<void> {
    return settle(() => {
      this.sessions.delete(id);
    });
  }

  deleteUserSessions(userId: string): Promise<number> {
    return settle(() => this.endSessionsOf(userId));
  }

  purgeSessions(now: Millis, idleBefore: Millis): Promise<number> {
    return settle(() => {
      let n = 0;
      for (const [id, s] of this.sessions) {
        if (s.expiresAt <= now || s.lastSeenAt < idleBefore) {
          this.sessions.delete(id);
          n += 1;
        }
      }
      return n;
    });
  }

  clear(): void {
    this.users.clear();
    this.sessions.clear();
  }

  private endSessionsOf(userId: string): number {
    let n = 0;
    for (const [id, s] of this.sessions) {
      if (s.userId === userId) {
        this.sessions.delete(id);
        n += 1;
      }
    }
    return n;
  }
}
