// Dashboard users and their sessions, for both dialects.
import type { Millis } from '../../core/domain.js';
import { isRole } from '../../core/roles.js';
import { AftercareError } from '../../errors.js';
import type { Session, User, UserStore } from '../ports/users.js';
import type { SqlHandle } from './db.js';
import type { SessionsTable, UsersTable } from './tables.js';

function userFromRow(row: UsersTable): User {
  if (!isRole(row.role)) {
    throw new AftercareError('AFTERCARE_E_STORE', `users.role: unknown role "${row.role}" for ${row.email}`, {
      field: 'role',
    });
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    timeZone: row.time_zone,
    createdAt: Number(row.created_at),
    disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
  };
}

function sessionFromRow(row: SessionsTable): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
  };
}

export class SqlUsers implements UserStore {
  constructor(private readonly sql: SqlHandle) {}

  async createUser(user: User): Promise<boolean> {
    const inserted = await this.sql.db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        email_lower: user.email.toLowerCase(),
        name: user.name,
        role: user.role,
        password_hash: user.passwordHash,
        time_zone: user.timeZone,
        created_at: user.createdAt,
        disabled_at: user.disabledAt,
      })
      .onConflict((oc) => oc.column('email_lower').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async getUser(id: string): Promise<User | null> {
    const row = await this.sql.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? userFromRow(row) : null;
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const row = await this.sql.db
      .selectFrom('users')
      .selectAll()
      .where('email_lower', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return row ? userFromRow(row) : null;
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.sql.db.selectFrom('users').selectAll().orderBy('email_lower').execute();
    return rows.map(userFromRow);
  }

  async disableUser(id: string, at: Millis): Promise<User | null> {
    return this.sql.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('users')
        .set((eb) => ({ disabled_at: eb.fn.coalesce('disabled_at', eb.val(at)) }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      return userFromRow(row);
    });
  }

  async createSession(session: Session): Promise<void> {
    await this.sql.db
      .insertInto('sessions')
      .values({
        id: session.id,
        user_id: session.userId,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async getSession(id: string): Promise<Session | null> {
    const row = await this.sql.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? sessionFromRow(row) : null;
  }

  async touchSession(id: string, at: Millis, everyMs: Millis): Promise<void> {
    await this.sql.db
      .updateTable('sessions')
      .set({ last_seen_at: at })
      .where('id', '=', id)
      .where('last_seen_at', '<=', at - everyMs)
      .execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.sql.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const result = await this.sql.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async purgeSessions(now: Millis, idleBefore: Millis): Promise<number> {
    const result = await this.sql.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
