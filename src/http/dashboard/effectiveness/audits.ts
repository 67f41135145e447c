// Audits compared: two teams chosen from the imported audits (`aftercare audit import`), how far
// they agree (Krippendorff's alpha, ordinal, for importance and for performance, with its reading
// in words) and the interactions where they disagree most, with each team's scores and notes.
// Through commands.gaps.listAudits and compareAudits.
import type { TeamComparison } from '../../../core/measuring/agreement.js';
import type { TeamAudit } from '../../../engine/commands/gaps.js';
import { activeOf } from '../guard.js';
import type { DashboardContext } from '../index.js';
import { esc, table, timeIn } from '../layout.js';
import { EFFECTIVENESS, fieldError, queryText, subnav, type FieldErrors } from './parts.js';

/** Disagreements shown at most, largest first. */
export const MOST = 10;

const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0');
const alphaText = (value: number | null): string => (value === null ? '–' : value.toFixed(3));

function teamSelect(
  id: 'a' | 'b',
  label: string,
  teams: readonly TeamAudit[],
  chosen: string | undefined,
  error: string | undefined,
): string {
  const shown = fieldError(id, error);
  const known = teams.some((t) => t.team === chosen);
  const options = [
    `<option value=""${chosen === undefined ? ' selected' : ''}>Choose a team</option>`,
    ...teams.map(
      (t) => `<option value="${esc(t.team)}"${t.team === chosen ? ' selected' : ''}>${esc(t.team)}</option>`,
    ),
    ...(chosen !== undefined && !known
      ? [`<option value="${esc(chosen)}" selected>${esc(chosen)}</option>`]
      : []),
  ];
  return `<div><label for="${id}">${esc(label)}</label>
<select id="${id}" name="${id}"${shown.attrs}>${options.join('')}</select>${shown.message}</div>`;
}

function comparisonHtml(c: TeamComparison, names: ReadonlyMap<string, string>): string {
  const [a, b] = c.teams;
  const name = (id: string): string => esc(names.get(id) ?? id);
  const most = c.disagreements.filter((d) => d.distance > 0).slice(0, MOST);
  const rows = most.map((d) => [
    name(d.interaction),
    esc(`${d.a.importance} / ${d.a.performance}`),
    esc(`${d.b.importance} / ${d.b.performance}`),
    esc(`${signed(d.importanceDifference)} / ${signed(d.performanceDifference)}`),
    esc(String(d.distance)),
    esc([d.a.note && `${a}: ${d.a.note}`, d.b.note && `${b}: ${d.b.note}`].filter(Boolean).join(' · ')),
  ]);
  const only = (team: string, list: readonly string[]): string =>
    list.length === 0 ? '' : `<p>Scored by ${esc(team)} only: ${list.map(name).join(', ')}.</p>`;
  return `<section class="card" aria-labelledby="agreement"><h2 id="agreement">${esc(a)} and ${esc(b)}</h2>
<p>${esc(String(c.compared))} interactions scored by both teams. Agreement is Krippendorff's alpha for ordinal scores: 1 is full agreement, 0 no more than chance; 0.8 or more can be relied on, 0.667 or more tentatively.</p>
<table><caption class="skip">Agreement between ${esc(a)} and ${esc(b)}</caption><thead><tr><th scope="col">Scores</th><th scope="col">Agreement (alpha)</th><th scope="col">Reading</th></tr></thead><tbody>
<tr><th scope="row">Importance</th><td id="alpha-importance">${esc(alphaText(c.alpha.importance))}</td><td>${esc(c.verdict.importance)}</td></tr>
<tr><th scope="row">Performance</th><td id="alpha-performance">${esc(alphaText(c.alpha.performance))}</td><td>${esc(c.verdict.performance)}</td></tr>
</tbody></table>
${only(a, c.onlyA)}${only(b, c.onlyB)}
<h3 id="disagreements">Where they disagree most</h3>
${table(
  'Where they disagree most',
  [
    'Interaction',
    `${a}: importance / performance`,
    `${b}: importance / performance`,
    `Difference (${b} − ${a})`,
    'Distance',
    'Notes',
  ],
  rows,
  'They scored every interaction they share alike.',
)}
</section>`;
}

export function auditRoutes(context: DashboardContext): void {
  const { commands } = context.deps;

  context.route('GET', '/effectiveness/audits', async (request, reply) => {
    const { user } = activeOf(request);
    const [{ teams }, catalogue] = await Promise.all([commands.gaps.listAudits(), commands.gaps.catalogue()]);
    const sorted = [...teams].sort((x, y) => x.team.localeCompare(y.team));
    const names = new Map((catalogue?.interactions ?? []).map((i) => [i.id, i.name]));
    let a = queryText(request.query, 'a', 100);
    let b = queryText(request.query, 'b', 100);
    // Nothing chosen yet: the first two teams by name.
    if (a === undefined && b === undefined && sorted.length >= 2) [a, b] = [sorted[0]!.team, sorted[1]!.team];
    const errors: FieldErrors = {};
    if (a === undefined && b !== undefined) errors.a = 'Choose the first team.';
    if (b === undefined && a !== undefined) errors.b = 'Choose a second team.';
    let comparison = '';
    if (a !== undefined && b !== undefined) {
      const result = await commands.gaps.compareAudits(a, b);
      if (result.ok) comparison = comparisonHtml(result.comparison, names);
      else if (result.why === 'same_team') errors.b = 'Choose a team other than the first.';
      else errors[result.team === a ? 'a' : 'b'] = `Team "${result.team}" has no audit.`;
    }
    const teamRows = sorted.map((t) => [
      esc(t.team),
      esc(String(t.interactions)),
      esc(timeIn(t.importedAt, user.timeZone)),
    ]);
    const form =
      sorted.length < 2
        ? '<p>Two teams need an imported audit to be compared: <code>aftercare audit import FILE.csv --team NAME</code> (docs/gaps.md).</p>'
        : `<form method="get" action="${EFFECTIVENESS}/audits" aria-labelledby="choose">
<h3 id="choose">Compare two teams</h3>
<div class="inline">
${teamSelect('a', 'First team', sorted, a, errors.a)}
${teamSelect('b', 'Second team', sorted, b, errors.b)}
<div><button type="submit">Compare</button></div>
</div></form>`;
    const body = `${subnav(`${EFFECTIVENESS}/audits`)}
<section class="card" aria-labelledby="teams"><h2 id="teams">Teams with an audit</h2>
${table('Teams with an audit', ['Team', 'Interactions scored', `Imported (${user.timeZone})`], teamRows, 'No audit imported yet.')}
${form}
</section>
${comparison}`;
    const invalid = Object.keys(errors).length > 0;
    return context.send(request, reply, {
      title: 'Audits compared',
      body,
      current: '/effectiveness',
      status: invalid ? 400 : 200,
    });
  });
}
