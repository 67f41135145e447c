// Action items: what is being done about a gap, by whom and by when (open or done), added and
// marked done with the playbook version that addressed it, through commands.gaps (addAction,
// listActions, completeAction). Everyone with reports.read reads them; only actions.manage sees
// and may post the forms (the route table refuses the others with 403). A refused form comes
// back with what was typed and the error next to its field.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { may } from '../../../core/roles.js';
import type { NewAction } from '../../../engine/commands/gaps.js';
import { AftercareError } from '../../../errors.js';
import type { ActionItem, ActionStatus } from '../../../store/ports/gaps.js';
import { firstOf, formOf } from '../../public/form.js';
import { activeOf } from '../guard.js';
import type { DashboardContext } from '../index.js';
import { csrfField, esc, table, timeIn } from '../layout.js';
import { EFFECTIVENESS, fieldError, queryText, subnav, type FieldErrors } from './parts.js';

const ACTIONS = `${EFFECTIVENESS}/actions`;
const SHOWN = ['open', 'done', 'all'] as const;
type Shown = (typeof SHOWN)[number];

const LABELS: Readonly<Record<keyof NewAction, string>> = {
  interaction: 'Interaction',
  title: 'What will be done',
  owner: 'Owner',
  due: 'Due',
};

interface PageState {
  shown: Shown;
  /** What the add form shows: empty, or what was typed into a refused form. */
  typed: Partial<NewAction>;
  addErrors: FieldErrors;
  /** A refused "mark done": which item, what was typed and why. */
  doneError: { id: number; value: string; message: string } | null;
  notice: string | null;
  status: number;
}

function addForm(
  csrf: string,
  interactions: readonly { id: string; name: string }[],
  state: PageState,
): string {
  const field = (name: keyof NewAction, control: (attrs: string) => string): string => {
    const error = fieldError(`new-${name}`, state.addErrors[name]);
    return `<div><label for="new-${name}">${esc(LABELS[name])}</label>${control(error.attrs)}${error.message}</div>`;
  };
  const typed = state.typed;
  return `<form class="card" method="post" action="${ACTIONS}" aria-labelledby="add"><h2 id="add">Add an action item</h2>
${csrfField(csrf)}
${field(
  'interaction',
  (attrs) =>
    `<select id="new-interaction" name="interaction"${attrs}><option value="">Choose the interaction</option>${interactions
      .map(
        (i) =>
          `<option value="${esc(i.id)}"${typed.interaction === i.id ? ' selected' : ''}>${esc(i.name)}</option>`,
      )
      .join('')}</select>`,
)}
${field('title', (attrs) => `<input id="new-title" name="title" type="text" maxlength="200" value="${esc(typed.title ?? '')}"${attrs}>`)}
${field('owner', (attrs) => `<input id="new-owner" name="owner" type="text" maxlength="200" value="${esc(typed.owner ?? '')}"${attrs}>`)}
${field('due', (attrs) => `<input id="new-due" name="due" type="date" value="${esc(typed.due ?? '')}"${attrs}>`)}
<p><button type="submit">Add</button></p>
</form>`;
}

function doneForm(csrf: string, item: ActionItem, error: PageState['doneError']): string {
  const id = `version-${item.id}`;
  const mine = error !== null && error.id === item.id ? error : null;
  const shown = fieldError(id, mine?.message);
  return `<form method="post" action="${ACTIONS}/${item.id}/done" class="inline">${csrfField(csrf)}
<div><label for="${id}">Playbook version that addressed it (optional)</label>
<input id="${id}" name="playbookVersion" type="text" list="playbook-versions" placeholder="name@version" value="${esc(mine?.value ?? '')}" autocomplete="off"${shown.attrs}>${shown.message}</div>
<div><button type="submit">Mark done<span class="skip">: ${esc(item.title)}</span></button></div></form>`;
}

function statusFilter(shown: Shown): string {
  const labels: Record<Shown, string> = { open: 'Open', done: 'Done', all: 'All' };
  return `<nav aria-label="Which action items"><p>Show: ${SHOWN.map((s) =>
    s === shown
      ? `<strong aria-current="page">${labels[s]}</strong>`
      : `<a href="${ACTIONS}?status=${s}">${labels[s]}</a>`,
  ).join(' · ')}</p></nav>`;
}

function shownOf(query: unknown): Shown {
  const raw = queryText(query, 'status', 20) ?? 'open';
  if (!(SHOWN as readonly string[]).includes(raw)) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'status: must be open, done or all', {
      field: 'status',
    });
  }
  return raw as Shown;
}

export function actionRoutes(context: DashboardContext): void {
  const { commands, clock } = context.deps;

  async function page(request: FastifyRequest, reply: FastifyReply, state: PageState): Promise<FastifyReply> {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const manage = may(user.role, 'actions.manage');
    const filter: { status?: ActionStatus } = state.shown === 'all' ? {} : { status: state.shown };
    const [items, catalogue] = await Promise.all([
      commands.gaps.listActions(filter),
      commands.gaps.catalogue(),
    ]);
    const names = new Map((catalogue?.interactions ?? []).map((i) => [i.id, i.name]));
    const csrf = reply.generateCsrf();
    const today = timeIn(clock.now(), zone).slice(0, 10);
    const sorted = [...items].sort((x, y) => x.due.localeCompare(y.due) || x.id - y.id);
    const rows = sorted.map((item) => {
      const late = item.status === 'open' && item.due < today;
      return [
        `${late ? '<span class="bad">overdue</span> ' : ''}${esc(item.due)}`,
        esc(names.get(item.interaction) ?? item.interaction),
        `<span id="action-${item.id}">${esc(item.title)}</span>`,
        esc(item.owner),
        item.status === 'done'
          ? esc(
              `done ${timeIn(item.doneAt, zone)}${item.playbookVersion === null ? '' : `, by ${item.playbookVersion}`}`,
            )
          : manage
            ? doneForm(csrf, item, state.doneError)
            : 'open',
      ];
    });
    const versions = commands.playbooks.list().map((p) => `${p.name}@${p.version}`);
    const add = !manage
      ? ''
      : catalogue === null
        ? '<p class="card">No interaction catalogue applies here, so no action item can be added (docs/gaps.md).</p>'
        : addForm(csrf, catalogue.interactions, state);
    const body = `${subnav(ACTIONS)}
${state.notice === null ? '' : `<p class="notice" role="status">${esc(state.notice)}</p>`}
${state.status >= 400 ? '<p class="error" role="alert">The form was not saved: see the message next to the field.</p>' : ''}
<section class="card" aria-labelledby="items"><h2 id="items">Action items</h2>
${statusFilter(state.shown)}
<p class="muted">Due days as entered; times in ${esc(zone)}.</p>
${table('Action items', ['Due', 'Interaction', 'Action', 'Owner', manage ? 'Status, or mark it done' : 'Status'], rows, state.shown === 'done' ? 'Nothing done yet.' : state.shown === 'open' ? 'No open action items.' : 'No action items yet.')}
<datalist id="playbook-versions">${versions.map((v) => `<option value="${esc(v)}"></option>`).join('')}</datalist>
</section>
${add}`;
    return context.send(request, reply, {
      title: 'Action items',
      body,
      current: '/effectiveness',
      status: state.status,
    });
  }

  const fresh = (shown: Shown, notice: string | null = null): PageState => ({
    shown,
    typed: {},
    addErrors: {},
    doneError: null,
    notice,
    status: 200,
  });

  context.route('GET', '/effectiveness/actions', async (request, reply) => {
    const query = request.query;
    const shown = shownOf(query);
    const added = queryText(query, 'added', 20);
    const done = queryText(query, 'done', 20);
    const notice =
      added !== undefined ? 'Action item added.' : done !== undefined ? 'Action item marked done.' : null;
    return page(request, reply, fresh(shown, notice));
  });

  context.route('POST', '/effectiveness/actions', async (request, reply) => {
    const fields = formOf(request.body);
    const typed: NewAction = {
      interaction: (firstOf(fields, 'interaction') ?? '').trim(),
      title: firstOf(fields, 'title') ?? '',
      owner: firstOf(fields, 'owner') ?? '',
      due: (firstOf(fields, 'due') ?? '').trim(),
    };
    // Every empty field at once; the commands then judge what was filled in.
    const errors: FieldErrors = {};
    if (typed.interaction === '') errors.interaction = 'Choose the interaction this is about.';
    for (const name of ['title', 'owner', 'due'] as const)
      if (typed[name].trim() === '') errors[name] = `${LABELS[name]} is required.`;
    if (Object.keys(errors).length === 0) {
      const result = await commands.gaps.addAction(typed);
      if (result.ok) return reply.redirect(`${ACTIONS}?added=${result.action.id}`, 303);
      if (result.why === 'no_catalogue')
        throw new AftercareError('AFTERCARE_E_CONFLICT', 'No interaction catalogue applies here.');
      if (result.why === 'unknown_interaction')
        errors.interaction = `No interaction "${typed.interaction}" in the catalogue.`;
      else errors[result.field] = `${LABELS[result.field]} ${result.message}.`;
    }
    return page(request, reply, { ...fresh('open'), typed, addErrors: errors, status: 400 });
  });

  context.route('POST', '/effectiveness/actions/:id/done', async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null;
    if (id === null) throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such action item.', { id: raw });
    const value = (firstOf(formOf(request.body), 'playbookVersion') ?? '').trim().slice(0, 200);
    const result = await commands.gaps.completeAction(id, value === '' ? null : value);
    if (result.ok) return reply.redirect(`${ACTIONS}?done=${id}`, 303);
    if (result.why === 'not_found')
      throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'No such action item.', { id: raw });
    const message =
      result.why === 'invalid_playbook_version'
        ? 'Write the version as name@version, like reassure@3.'
        : `No version ${result.playbookVersion} has run here.`;
    return page(request, reply, { ...fresh('open'), doneError: { id, value, message }, status: 400 });
  });
}
