// The dashboard's people: create one (the password chosen, or generated and shown once), list
// them, disable one (their sessions end at once). `aftercare users` and the demo call these.
import { randomBytes } from 'node:crypto';
import { isValidZone } from '../../core/localTime.js';
import { isMailbox } from '../../core/mailbox.js';
import { ROLES, isRole } from '../../core/roles.js';
import { AftercareError } from '../../errors.js';
import type { User, UserStore } from '../../store/ports/users.js';
import type { Clock } from '../clock.js';
import { MIN_PASSWORD_LENGTH, generatePassword, hashPassword } from './passwords.js';

export interface NewUserInput {
  email: string;
  role: string;
  name?: string | null;
  /** Absent: one is generated and returned once. */
  password?: string | null;
  /** Default: the business's zone. */
  timeZone?: string | null;
}

export type UserCreation =
  | { ok: true; user: User; /** Only when generated: show it once. */ generatedPassword: string | null }
  | { ok: false; why: 'exists' };

export interface UserCommands {
  create(input: NewUserInput): Promise<UserCreation>;
  list(): Promise<User[]>;
  get(id: string): Promise<User | null>;
  /** Null: no user with this address. */
  disable(email: string): Promise<User | null>;
}

function invalid(field: string, message: string): AftercareError {
  return new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: ${message}`, { field });
}

export function userCommands(deps: {
  users: UserStore;
  clock: Clock;
  defaultTimeZone: string;
}): UserCommands {
  const { users, clock } = deps;
  return {
    async create(input) {
      const email = input.email.trim();
      if (!isMailbox(email)) throw invalid('email', `"${email}" is not one e-mail address`);
      const role = input.role.trim();
      if (!isRole(role)) throw invalid('role', `must be one of ${ROLES.join(', ')} (got "${role}")`);
      const zone = input.timeZone?.trim() || deps.defaultTimeZone;
      if (!isValidZone(zone)) throw invalid('zone', `"${zone}" is not an IANA time zone like Europe/Berlin`);
      const chosen = input.password ?? null;
      if (chosen !== null && chosen.length < MIN_PASSWORD_LENGTH) {
        throw invalid('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
      }
      const password = chosen ?? generatePassword();
      const user: User = {
        id: `usr_${randomBytes(9).toString('base64url')}`,
        email,
        name: input.name?.trim() || null,
        role,
        passwordHash: await hashPassword(password),
        timeZone: zone,
        createdAt: clock.now(),
        disabledAt: null,
      };
      if (!(await users.createUser(user))) return { ok: false, why: 'exists' };
      return { ok: true, user, generatedPassword: chosen === null ? password : null };
    },
    list: () => users.listUsers(),
    get: (id) => users.getUser(id),
    async disable(email) {
      const user = await users.findUserByEmail(email);
      return user === null ? null : users.disableUser(user.id, clock.now());
    },
  };
}
