// Settings, for owners: the running configuration (settingsView.ts: each setting and the
// environment variable that changes it, no secret ever), the API keys of /api/v1 (create, the key
// shown once; revoke) and the dashboard's people (create, a generated password shown once;
// disable, never oneself). Changes go through commands.apiKeys and commands.users; a form with bad
// input comes back with its values and a message next to the field that is wrong.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fromLocal } from '../../core/localTime.js';
import { ROLES } from '../../core/roles.js';
import { AftercareError } from '../../errors.js';
import { API_SCOPES } from '../../store/ports/access.js';
import { firstOf, formOf } from '../public/form.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { csrfField, esc, table, timeIn } from './layout.js';
import { DASHBOARD_PREFIX } from './routes.js';
import { settingSections } from './settingsView.js';

type Fields = Record<string, string>;

/** A form as it came back: what was typed, and a problem per field. */
interface FormState {
  values: Fields;
  errors: Fields;
}

interface SettingsState {
  notice?: string;
  keyForm?: FormState;
  userForm?: FormState;
  status?: number;
}

const EMPTY: FormState = { values: {}, errors: {} };

function fieldError(form: FormState, field: string): string {
  const problem = form.errors[field];
  return problem === undefined ? '' : `<p class="error" id="${field}-error">${esc(problem)}</p>`;
}

function described(form: FormState, field: string): string {
  return form.errors[field] === undefined ? '' : ` aria-describedby="${field}-error" aria-invalid="true"`;
}

/** `2026-12-31` in the user's zone: the start of that day. */
function parseDay(raw: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (m === null) return null;
  const [year, month, day] = m.slice(1).map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return fromLocal({ year, month, day, hour: 0, minute: 0 }, zone);
}

export function settingsRoutes(context: DashboardContext): void {
  const { commands, config } = context.deps;

  async function page(request: FastifyRequest, reply: FastifyReply, state: SettingsState = {}) {
    const { user: me } = activeOf(request);
    const zone = me.timeZone;
    const csrf = csrfField(reply.generateCsrf());
    const [keys, users] = await Promise.all([commands.apiKeys.list(), commands.users.list()]);
    const keyForm = state.keyForm ?? EMPTY;
    const userForm = state.userForm ?? EMPTY;
    const sections = settingSections(config)
      .map(
        (s) => `<section class="card" aria-labelledby="${s.id}"><h2 id="${s.id}">${esc(s.title)}</h2>
${table(
  s.title,
  ['Setting', 'Value', 'Changed by'],
  s.rows.map((r) => [esc(r.setting), esc(r.value), `<code>${esc(r.env)}</code>`]),
  'None.',
)}</section>`,
      )
      .join('\n');
    const keyRows = keys.map((k) => [
      `${esc(k.name)}<br><code class="muted">${esc(k.id)}</code>`,
      esc(k.scopes.join(', ')),
      esc(timeIn(k.createdAt, zone)),
      esc(k.lastUsedAt === null ? 'never' : timeIn(k.lastUsedAt, zone)),
      esc(k.expiresAt === null ? 'never' : timeIn(k.expiresAt, zone)),
      k.revokedAt !== null
        ? `revoked ${esc(timeIn(k.revokedAt, zone))}`
        : `<form method="post" action="${DASHBOARD_PREFIX}/settings/api-keys/${encodeURIComponent(k.id)}/revoke">${csrf}<button class="plain" type="submit">Revoke<span class="skip"> ${esc(k.name)}</span></button></form>`,
    ]);
    const userRows = users.map((u) => [
      esc(u.email),
      esc(u.name ?? ''),
      esc(u.role),
      esc(u.timeZone),
      u.disabledAt !== null
        ? `disabled ${esc(timeIn(u.disabledAt, zone))}`
        : u.id === me.id
          ? '<span class="muted">you</span>'
          : `<form method="post" action="${DASHBOARD_PREFIX}/settings/users/${encodeURIComponent(u.id)}/disable">${csrf}<button class="plain" type="submit">Disable<span class="skip"> ${esc(u.email)}</span></button></form>`,
    ]);
    const v = (form: FormState, name: string): string => esc(form.values[name] ?? '');
    const chosenScopes = new Set((keyForm.values['scopes'] ?? 'read').split(','));
    const body = `${state.notice ?? ''}
<p class="muted">Settings come from the environment: change the variable named beside each and restart Aftercare. Secrets are never shown here.</p>
${sections}
<section class="card" aria-labelledby="keys"><h2 id="keys">API keys</h2>
${table('API keys', ['Name', 'Scopes', 'Created', 'Last used', 'Expires', 'State'], keyRows, 'No API keys yet.')}
<h3>New API key</h3>
<form method="post" action="${DASHBOARD_PREFIX}/settings/api-keys">${csrf}
<label for="key-name">Name</label>
<input id="key-name" name="name" maxlength="100" value="${v(keyForm, 'name')}"${described(keyForm, 'name')}>
${fieldError(keyForm, 'name')}
<fieldset${described(keyForm, 'scopes')}><legend>Scopes</legend>
${API_SCOPES.map((s) => `<label><input type="checkbox" name="scopes" value="${s}"${chosenScopes.has(s) ? ' checked' : ''}> ${s}</label>`).join('\n')}
</fieldset>
${fieldError(keyForm, 'scopes')}
<label for="key-expires">Expires on (optional, ${esc(zone)})</label>
<input id="key-expires" name="expires" type="date" value="${v(keyForm, 'expires')}"${described(keyForm, 'expires')}>
${fieldError(keyForm, 'expires')}
<p><button type="submit">Create key</button></p>
</form></section>
<section class="card" aria-labelledby="people"><h2 id="people">Users</h2>
${table('Users', ['E-mail', 'Name', 'Role', 'Time zone', 'State'], userRows, 'No users.')}
<h3>New user</h3>
<form method="post" action="${DASHBOARD_PREFIX}/settings/users">${csrf}
<label for="user-email">E-mail</label>
<input id="user-email" name="email" type="email" autocomplete="off" value="${v(userForm, 'email')}"${described(userForm, 'email')}>
${fieldError(userForm, 'email')}
<label for="user-role">Role</label>
<select id="user-role" name="role"${described(userForm, 'role')}>${ROLES.map((r) => `<option value="${r}"${userForm.values['role'] === r ? ' selected' : ''}>${r}</option>`).join('')}</select>
${fieldError(userForm, 'role')}
<label for="user-name">Name (optional)</label>
<input id="user-name" name="name" maxlength="200" value="${v(userForm, 'name')}"${described(userForm, 'name')}>
${fieldError(userForm, 'name')}
<label for="user-zone">Time zone (empty: ${esc(config.policy.defaultTimezone)})</label>
<input id="user-zone" name="zone" placeholder="Europe/Berlin" value="${v(userForm, 'zone')}"${described(userForm, 'zone')}>
${fieldError(userForm, 'zone')}
<p class="muted">A password is generated and shown once; hand it over in person or by another channel.</p>
<p><button type="submit">Create user</button></p>
</form></section>`;
    return context.send(request, reply, {
      title: 'Settings',
      body,
      current: '/settings',
      ...(state.status ? { status: state.status } : {}),
    });
  }

  context.route('GET', '/settings', async (request, reply) => {
    const query = request.query as { revoked?: string; disabled?: string };
    const notice =
      query.revoked !== undefined
        ? `<p class="notice" role="status">Key ${esc(query.revoked)} revoked: requests with it are refused from now on.</p>`
        : query.disabled !== undefined
          ? `<p class="notice" role="status">${esc(query.disabled)} is disabled and signed out everywhere.</p>`
          : '';
    return page(request, reply, { notice });
  });

  context.route('POST', '/settings/api-keys', async (request, reply) => {
    const { user } = activeOf(request);
    const fields = formOf(request.body);
    const name = (firstOf(fields, 'name') ?? '').trim();
    const scopes = fields['scopes'] ?? [];
    const expires = (firstOf(fields, 'expires') ?? '').trim();
    const form: FormState = { values: { name, scopes: scopes.join(','), expires }, errors: {} };
    let expiresAt: number | null = null;
    if (expires !== '') {
      expiresAt = parseDay(expires, user.timeZone);
      if (expiresAt === null) form.errors['expires'] = 'Pick a day like 2027-01-31, or leave it empty.';
    }
    if (scopes.length === 0) form.errors['scopes'] = 'Choose at least one scope.';
    if (Object.keys(form.errors).length === 0) {
      const created = await commands.apiKeys.create(name, { scopes, expiresAt });
      if (created.ok) {
        const notice = `<div class="notice" role="status"><p>Key “${esc(created.info.name)}” created. Copy it now: it is shown only this once, and only its hash is kept.</p>
<p><label for="new-key">The new key</label><input id="new-key" readonly size="60" value="${esc(created.key)}"></p></div>`;
        return page(request, reply, { notice, status: 201 });
      }
      if (created.why === 'invalid_name') {
        form.errors['name'] = 'Give a name of 1-100 letters, digits, spaces or . _ : @ / -';
      } else if (created.why === 'invalid_scope') {
        form.errors['scopes'] = `“${created.scope}” is not a scope; choose from ${API_SCOPES.join(', ')}.`;
      } else {
        form.errors['expires'] = 'The expiry must be after today.';
      }
    }
    return page(request, reply, { keyForm: form, status: 400 });
  });

  context.route('POST', '/settings/api-keys/:id/revoke', async (request, reply) => {
    const { id } = request.params as { id: string };
    const revoked = await commands.apiKeys.revoke(id);
    if (!revoked.ok) throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such API key.', { id });
    return reply.redirect(
      `${DASHBOARD_PREFIX}/settings?${new URLSearchParams({ revoked: revoked.info.name }).toString()}#keys`,
      303,
    );
  });

  context.route('POST', '/settings/users', async (request, reply) => {
    const fields = formOf(request.body);
    const values: Fields = {};
    for (const name of ['email', 'role', 'name', 'zone']) values[name] = (firstOf(fields, name) ?? '').trim();
    const form: FormState = { values, errors: {} };
    if (values['email'] === '') form.errors['email'] = 'Enter the e-mail address they sign in with.';
    if ((values['name'] ?? '').length > 200) form.errors['name'] = 'Keep the name under 200 characters.';
    if (Object.keys(form.errors).length === 0) {
      try {
        const created = await commands.users.create({
          email: values['email'] ?? '',
          role: values['role'] ?? '',
          name: values['name'] || null,
          timeZone: values['zone'] || null,
        });
        if (created.ok) {
          const notice = `<div class="notice" role="status"><p>${esc(created.user.email)} can sign in now as ${esc(created.user.role)}. Their password is shown only this once:</p>
<p><label for="new-password">Password</label><input id="new-password" readonly size="40" value="${esc(created.generatedPassword ?? '')}"></p></div>`;
          return page(request, reply, { notice, status: 201 });
        }
        form.errors['email'] = 'A user with this address exists already.';
      } catch (error) {
        const field = error instanceof AftercareError ? error.details['field'] : undefined;
        if (typeof field !== 'string' || !(field in values)) throw error;
        form.errors[field] = (error as Error).message.replace(/^[a-z]+: /, '');
      }
    }
    return page(request, reply, { userForm: form, status: 400 });
  });

  context.route('POST', '/settings/users/:id/disable', async (request, reply) => {
    const { user: me } = activeOf(request);
    const { id } = request.params as { id: string };
    const user = await commands.users.get(id);
    if (user === null) throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such user.', { id });
    if (user.id === me.id) {
      throw new AftercareError(
        'AFTERCARE_E_CONFLICT',
        'You cannot disable yourself: another owner has to do it.',
        { id },
      );
    }
    await commands.users.disable(user.email);
    return reply.redirect(
      `${DASHBOARD_PREFIX}/settings?${new URLSearchParams({ disabled: user.email }).toString()}#people`,
      303,
    );
  });
}
