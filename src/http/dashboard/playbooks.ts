// Playbooks: the ones this process runs (each with its version, the versions the store recorded,
// its steps and channels), one playbook's steps on a timeline by moment with a table of every
// step, and two recorded versions side by side with what changed. Read through the playbook
// commands only; a recorded version is rebuilt from its stored definition.
import type { FastifyRequest } from 'fastify';
import type { Playbook, Step } from '../../core/playbook/types.js';
import { formatDuration } from '../../core/playbook/duration.js';
import type { RecordedVersion } from '../../engine/commands/playbooks.js';
import { AftercareError } from '../../errors.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { esc, table, timeIn } from './layout.js';
import { diffPlaybooks, type StepChange } from './playbookDiff.js';
import {
  conditionText,
  extrasText,
  localTimeText,
  offsetText,
  stepFields,
  taskKind,
} from './playbookSteps.js';
import { timelineSvg } from './playbookTimeline.js';
import { DASHBOARD_PREFIX } from './routes.js';

const BASE = `${DASHBOARD_PREFIX}/playbooks`;

/** A wide table that scrolls sideways on a narrow screen, reachable by keyboard. */
export function scrollable(label: string, html: string): string {
  return `<div class="scroll" tabindex="0" role="region" aria-label="${esc(label)}">${html}</div>`;
}

export function playbookHref(name: string, rest = ''): string {
  return `${BASE}/${encodeURIComponent(name)}${rest}`;
}

function channelsOf(playbook: Playbook): string[] {
  return [...new Set(playbook.steps.map((s) => s.channel))].sort();
}

/** A version number from the query: a positive whole number, else a clear 400. */
function versionParam(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: must be a version number, like 3`, {
      field,
    });
  }
  return Number(raw);
}

/** The steps as a table: the timeline's accessible version, and the full detail of each step. */
export function stepsTable(playbook: Playbook): string {
  return table(
    `Steps of ${playbook.name}`,
    [
      '#',
      'Step',
      'Moment',
      'Offset',
      'At (customer’s time)',
      'Channel',
      'Task for a person',
      'Template',
      'Conditions',
      'Cancelled on',
      'Survey and extras',
      'Purpose',
    ],
    playbook.steps.map((step, i) => [
      String(i + 1),
      `<strong id="step-${esc(step.key)}">${esc(step.key)}</strong>${step.description ? `<br><span class="muted">${esc(step.description)}</span>` : ''}`,
      esc(step.timing.moment),
      esc(offsetText(step.timing.offsetMs)),
      esc(localTimeText(step.timing) ?? '–'),
      esc(step.channel),
      esc(taskLine(step)),
      esc(step.template),
      esc(conditionText(step.when) || '–'),
      esc(step.cancelOn.join(', ') || '–'),
      esc(extrasText(step) || '–'),
      esc(step.purpose),
    ]),
    'This playbook has no steps.',
  );
}

function taskLine(step: Step): string {
  const kind = taskKind(step);
  if (kind === null) return '–';
  return step.owner === null ? kind : `${kind} (${step.owner})`;
}

function settingsList(playbook: Playbook): string {
  const stale = Number.isFinite(playbook.staleAfterMs) ? formatDuration(playbook.staleAfterMs) : 'never';
  return `<dl class="facts">
<dt>Ends early on</dt><dd>${esc(playbook.exitOn.join(', ') || 'nothing')}</dd>
<dt>Return window</dt><dd>${esc(formatDuration(playbook.returnWindowMs))} after delivery</dd>
<dt>Late after</dt><dd>${esc(formatDuration(playbook.delayGraceMs))} past the promised delivery</dd>
<dt>A step planned this late is skipped</dt><dd>${esc(stale)}</dd>
<dt>Channels</dt><dd>${esc(channelsOf(playbook).join(', ') || '–')}</dd>
</dl>`;
}

function versionsTable(
  name: string,
  versions: readonly RecordedVersion[],
  running: number | null,
  zone: string,
): string {
  return table(
    `Recorded versions of ${name}`,
    ['Version', 'Recorded', 'Fingerprint', ''],
    [...versions].reverse().map((v, i, all) => {
      const previous = all[i + 1];
      const links = [`<a href="${playbookHref(name, `?version=${v.version}`)}">Steps of v${v.version}</a>`];
      if (previous !== undefined)
        links.push(
          `<a href="${playbookHref(name, `/versions?a=${previous.version}&amp;b=${v.version}`)}">Compare v${previous.version} with v${v.version}</a>`,
        );
      return [
        `v${v.version}${v.version === running ? ' <span class="muted">(running)</span>' : ''}`,
        esc(timeIn(v.registeredAt, zone)),
        `<code>${esc(v.fingerprint.slice(0, 12))}</code>`,
        links.join(' · '),
      ];
    }),
    'No version of this playbook has been recorded yet.',
  );
}

function compareForm(
  name: string,
  versions: readonly RecordedVersion[],
  a: number | null,
  b: number | null,
): string {
  if (versions.length < 2)
    return '<p class="muted">Only one version is recorded: nothing to compare yet.</p>';
  const options = (selected: number | null): string =>
    versions
      .map(
        (v) =>
          `<option value="${v.version}"${v.version === selected ? ' selected' : ''}>v${v.version}</option>`,
      )
      .join('');
  return `<form method="get" action="${playbookHref(name, '/versions')}" class="inline">
<label for="a">Older version</label><select id="a" name="a">${options(a)}</select>
<label for="b">Newer version</label><select id="b" name="b">${options(b)}</select>
<button type="submit">Compare</button>
</form>`;
}

function stepCell(step: Step | null, changed: ReadonlySet<string>): string {
  if (step === null) return '<span class="muted">–</span>';
  const fields = Object.entries(stepFields(step)).filter(
    ([field, value]) => value !== '' || changed.has(field),
  );
  return `<dl class="step">${fields
    .map(([field, value]) => {
      const text = esc(value || '(none)');
      return `<dt>${esc(field)}</dt><dd>${changed.has(field) ? `<mark>${text}</mark>` : text}</dd>`;
    })
    .join('')}</dl>`;
}

const CHANGE_TEXT: Record<StepChange['change'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  same: 'unchanged',
};

export function playbookRoutes(context: DashboardContext): void {
  const { commands } = context.deps;

  context.route('GET', '/playbooks', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const playbooks = commands.playbooks.list();
    const rows: string[][] = [];
    for (const playbook of playbooks) {
      const recorded = await commands.playbooks.versions(playbook.name);
      const latest = recorded.at(-1);
      rows.push([
        `<a href="${playbookHref(playbook.name)}">${esc(playbook.name)}</a>${playbook.description ? `<br><span class="muted">${esc(playbook.description)}</span>` : ''}`,
        `v${playbook.version}`,
        recorded.length === 0
          ? '<span class="muted">none yet</span>'
          : `${recorded.map((v) => `v${v.version}`).join(', ')}${latest ? `<br><span class="muted">latest recorded ${esc(timeIn(latest.registeredAt, user.timeZone))}</span>` : ''}`,
        String(playbook.steps.length),
        esc(channelsOf(playbook).join(', ')),
      ]);
    }
    const body = `<section class="card" aria-labelledby="running"><h2 id="running">Running in this process</h2>
<p class="muted">Every new order is enrolled in these. A version is recorded when it first runs; touch points keep the version that planned them.</p>
${table('Playbooks', ['Playbook', 'Running version', 'Recorded versions', 'Steps', 'Channels'], rows, 'No playbook runs here.')}
</section>
<section class="card" aria-labelledby="tools"><h2 id="tools">Try a change first</h2>
<ul>
<li><a href="${BASE}/validate">Check a playbook</a>: paste its YAML and see every problem with its line and column.</li>
<li><a href="${BASE}/simulate">Simulate</a>: who would get what and when, on sample orders or orders you paste.</li>
</ul>
</section>`;
    return context.send(request, reply, { title: 'Playbooks', body, current: '/playbooks' });
  });

  context.route('GET', '/playbooks/:name', async (request: FastifyRequest, reply) => {
    const { user } = activeOf(request);
    const { name } = request.params as { name: string };
    const query = request.query as { version?: string };
    const running = commands.playbooks.get(name);
    const recorded = await commands.playbooks.versions(name);
    if (running === null && recorded.length === 0) {
      throw new AftercareError(
        'AFTERCARE_E_PLAYBOOK_NOT_FOUND',
        `No playbook named “${name}” runs or has run here.`,
        {
          field: 'name',
        },
      );
    }
    const wanted = versionParam(query.version, 'version');
    let playbook: Playbook | null = running;
    if (wanted !== undefined && wanted !== running?.version) {
      playbook = await commands.playbooks.version(name, wanted);
      if (playbook === null) {
        throw new AftercareError(
          'AFTERCARE_E_NOT_FOUND',
          `version: ${name} v${wanted} is not recorded here (recorded: ${recorded.map((v) => `v${v.version}`).join(', ') || 'none'}).`,
          { field: 'version' },
        );
      }
    }
    if (playbook === null) {
      const latest = recorded.at(-1)!;
      playbook = await commands.playbooks.version(name, latest.version);
      if (playbook === null)
        throw new AftercareError('AFTERCARE_E_NOT_FOUND', `${name} v${latest.version} is not recorded here.`);
    }
    const isRunning = running !== null && playbook.version === running.version;
    const last = recorded.at(-1)?.version ?? null;
    const previous = recorded.at(-2)?.version ?? null;
    const body = `<p>${isRunning ? 'Running' : `<strong>Not running</strong> (recorded earlier${running ? `; v${running.version} runs now, <a href="${playbookHref(name)}">see it</a>` : ''})`} · version ${playbook.version} · ${playbook.steps.length} steps${isRunning ? ` · <a href="${BASE}/simulate?playbook=${encodeURIComponent(name)}">Simulate it</a>` : ''}</p>
${playbook.description ? `<p>${esc(playbook.description)}</p>` : ''}
<section class="card" aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
${timelineSvg(playbook)}
</section>
<section class="card" aria-labelledby="steps"><h2 id="steps">Steps</h2>
${scrollable('Steps (scrolls sideways)', stepsTable(playbook))}
</section>
<section class="card" aria-labelledby="settings"><h2 id="settings">Settings</h2>${settingsList(playbook)}</section>
<section class="card" aria-labelledby="versions"><h2 id="versions">Versions</h2>
${versionsTable(name, recorded, running?.version ?? null, user.timeZone)}
${compareForm(name, recorded, previous, last)}
</section>`;
    return context.send(request, reply, {
      title: `Playbook ${name}${isRunning ? '' : ` v${playbook.version}`}`,
      body,
      current: '/playbooks',
    });
  });

  context.route('GET', '/playbooks/:name/versions', async (request: FastifyRequest, reply) => {
    const { name } = request.params as { name: string };
    const query = request.query as { a?: string; b?: string };
    const recorded = await commands.playbooks.versions(name);
    if (recorded.length === 0) {
      throw new AftercareError(
        'AFTERCARE_E_PLAYBOOK_NOT_FOUND',
        `No version of a playbook named “${name}” is recorded here.`,
        {
          field: 'name',
        },
      );
    }
    const b = versionParam(query.b, 'b') ?? recorded.at(-1)!.version;
    const a = versionParam(query.a, 'a') ?? [...recorded].reverse().find((v) => v.version < b)?.version ?? b;
    const load = async (version: number, field: string): Promise<Playbook> => {
      const found = await commands.playbooks.version(name, version);
      if (found === null) {
        throw new AftercareError(
          'AFTERCARE_E_NOT_FOUND',
          `${field}: ${name} v${version} is not recorded here (recorded: ${recorded.map((v) => `v${v.version}`).join(', ')}).`,
          { field },
        );
      }
      return found;
    };
    const [before, after] = [await load(a, 'a'), await load(b, 'b')];
    const diff = diffPlaybooks(before, after);
    const rows = diff.steps.map((s) => {
      const changed = new Set(s.fields.map((f) => f.field));
      const what =
        s.change === 'changed'
          ? `changed: ${s.fields.map((f) => f.field).join(', ')}`
          : CHANGE_TEXT[s.change];
      return [
        `<strong>${esc(s.key)}</strong>`,
        `<span class="change ${s.change}">${esc(what)}</span>`,
        stepCell(s.before, changed),
        stepCell(s.after, changed),
      ];
    });
    const settings =
      diff.settings.length === 0
        ? '<p class="muted">The playbook’s own settings are the same.</p>'
        : table(
            'Settings that changed',
            ['Setting', `v${a}`, `v${b}`],
            diff.settings.map((f) => [esc(f.field), esc(f.before || '(none)'), esc(f.after || '(none)')]),
            '',
          );
    const body = `<p><a href="${playbookHref(name)}">Back to ${esc(name)}</a></p>
<section class="card" aria-labelledby="choose"><h2 id="choose">Versions</h2>${compareForm(name, recorded, a, b)}</section>
<section class="card" aria-labelledby="summary"><h2 id="summary">v${a} → v${b}</h2>
<p>${diff.counts.added} added, ${diff.counts.removed} removed, ${diff.counts.changed} changed, ${diff.counts.same} unchanged. Changed fields are highlighted.</p>
${settings}
</section>
<section class="card" aria-labelledby="side"><h2 id="side">Steps side by side</h2>
${scrollable('Steps side by side (scrolls sideways)', table(`Steps of v${a} and v${b}`, ['Step', 'What changed', `v${a}`, `v${b}`], rows, 'Neither version has steps.'))}
</section>`;
    return context.send(request, reply, { title: `${name}: v${a} and v${b}`, body, current: '/playbooks' });
  });
}
