// `aftercare actions list|add|done`: what is to be done about a gap, by whom and by when, and the
// playbook version that addressed it. Works on an existing database only, as `keys` does.
import { ACTION_STATUSES, type ActionItem, type ActionStatus } from '../store/ports/gaps.js';
import { AftercareError } from '../errors.js';
import { noCatalogue, textTable, withStoreApp } from './audit.js';
import { EXIT_OK, usageError } from './exit.js';

const iso = (at: number | null): string => (at === null ? '-' : new Date(at).toISOString().slice(0, 10));

function show(items: readonly ActionItem[]): string {
  return textTable(
    ['ID', 'STATUS', 'INTERACTION', 'OWNER', 'DUE', 'DONE', 'VERSION', 'TITLE'],
    items.map((a) => [
      String(a.id),
      a.status,
      a.interaction,
      a.owner,
      a.due,
      iso(a.doneAt),
      a.playbookVersion ?? '-',
      a.title,
    ]),
  );
}

export async function actionsListCommand(options: { status?: string; json?: boolean }): Promise<number> {
  const status = options.status;
  if (status !== undefined && !(ACTION_STATUSES as readonly string[]).includes(status)) {
    throw usageError(`--status must be one of ${ACTION_STATUSES.join(', ')}`, { field: 'status' });
  }
  const items = await withStoreApp((app) =>
    app.commands.gaps.listActions(status === undefined ? {} : { status: status as ActionStatus }),
  );
  if (options.json) process.stdout.write(`${JSON.stringify(items)}\n`);
  else if (items.length === 0) {
    process.stdout.write(
      'No action items: aftercare actions add --interaction ID --title T --owner O --due DATE\n',
    );
  } else process.stdout.write(show(items));
  return EXIT_OK;
}

export async function actionsAddCommand(options: {
  interaction: string;
  title: string;
  owner: string;
  due: string;
  json?: boolean;
}): Promise<number> {
  const added = await withStoreApp((app) =>
    app.commands.gaps.addAction({
      interaction: options.interaction,
      title: options.title,
      owner: options.owner,
      due: options.due,
    }),
  );
  if (!added.ok) {
    switch (added.why) {
      case 'no_catalogue':
        throw noCatalogue();
      case 'unknown_interaction':
        throw usageError(`--interaction: "${options.interaction}" is not one of ${added.known.join(', ')}`, {
          field: 'interaction',
        });
      case 'invalid':
        throw usageError(`--${added.field} ${added.message}`, { field: added.field });
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(added.action)}\n`);
  else
    process.stdout.write(
      `Added action ${added.action.id} on ${added.action.interaction}, due ${added.action.due}.\n`,
    );
  return EXIT_OK;
}

export async function actionsDoneCommand(
  ref: string,
  options: { playbookVersion?: string },
): Promise<number> {
  const id = /^[1-9]\d{0,14}$/.test(ref) ? Number(ref) : null;
  if (id === null)
    throw usageError(`"${ref}" is not an action id (see aftercare actions list)`, { field: 'id' });
  const done = await withStoreApp((app) =>
    app.commands.gaps.completeAction(id, options.playbookVersion ?? null),
  );
  if (!done.ok) {
    switch (done.why) {
      case 'not_found':
        throw new AftercareError('AFTERCARE_E_NOT_FOUND', `no action ${id} (see aftercare actions list)`, {
          id,
        });
      case 'invalid_playbook_version':
        throw usageError('--playbook-version must be NAME@VERSION, e.g. reassure@4', {
          field: 'playbook-version',
        });
      case 'unknown_playbook_version':
        throw usageError(
          `--playbook-version: ${done.playbookVersion} has never run here (a version is recorded when serve or worker starts with it)`,
          { field: 'playbook-version' },
        );
    }
  }
  const by = done.action.playbookVersion === null ? '' : `, addressed by ${done.action.playbookVersion}`;
  process.stdout.write(`Action ${done.action.id} is done${by}.\n`);
  return EXIT_OK;
}
