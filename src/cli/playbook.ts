// `aftercare playbook validate|list|show`: check a playbook file with positions a person can
// jump to, see which playbooks exist, and read one as a plain timeline of steps.
import { builtinPlaybookNames, loadPlaybookFile, playbookPath } from '../app/playbooks.js';
import { formatDuration } from '../core/playbook/duration.js';
import type { PlaybookIssue } from '../core/playbook/parse.js';
import type { Condition, Playbook, Step, StepTiming } from '../core/playbook/types.js';
import { loadConfig } from '../config.js';
import { AftercareError } from '../errors.js';
import { EXIT_OK, EXIT_REJECTED } from './exit.js';

/** `FILE:LINE:COL: field: message` (the field is left out when the issue is about the whole file). */
export function formatPlaybookIssue(issue: PlaybookIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.field === '' ? `${where}: ${issue.message}` : `${where}: ${issue.field}: ${issue.message}`;
}

function issuesOf(error: AftercareError): PlaybookIssue[] {
  const issues = error.details.issues;
  return Array.isArray(issues) ? (issues as PlaybookIssue[]) : [];
}

export async function playbookValidateCommand(file: string): Promise<number> {
  const path = playbookPath(file);
  try {
    const playbook = await loadPlaybookFile(path);
    const steps = playbook.steps.length === 1 ? '1 step' : `${playbook.steps.length} steps`;
    process.stdout.write(`${path}: ok (playbook "${playbook.name}" version ${playbook.version}, ${steps})\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof AftercareError) || error.code !== 'AFTERCARE_E_PLAYBOOK_INVALID') throw error;
    const issues = issuesOf(error);
    for (const issue of issues) process.stdout.write(`${formatPlaybookIssue(issue)}\n`);
    if (issues.length === 0) process.stdout.write(`${path}: ${error.message}\n`);
    return EXIT_REJECTED;
  }
}

export async function playbookListCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const active = new Set(config.playbooks);
  const refs = [...new Set([...(await builtinPlaybookNames()), ...config.playbooks])];
  let code = EXIT_OK;
  const rows: string[][] = [];
  for (const ref of refs) {
    const mark = active.has(ref) ? '*' : ' ';
    try {
      const p = await loadPlaybookFile(playbookPath(ref));
      rows.push([mark, p.name, `v${p.version}`, `${p.steps.length} steps`, p.description ?? '', ref]);
    } catch (error) {
      if (!(error instanceof AftercareError)) throw error;
      code = EXIT_REJECTED;
      rows.push([mark, ref, '', 'invalid', error.message.split('\n')[0] ?? '', ref]);
    }
  }
  const widths = [1, 2, 3].map((col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  for (const row of rows) {
    const [mark, name, version, steps, description] = row;
    const summary = (description ?? '').length > 70 ? `${(description ?? '').slice(0, 67)}...` : description;
    process.stdout.write(
      `${mark} ${name!.padEnd(widths[0]!)}  ${version!.padEnd(widths[1]!)}  ${steps!.padEnd(widths[2]!)}  ${summary}\n`,
    );
  }
  process.stdout.write('\n* active (AFTERCARE_PLAYBOOKS)\n');
  return code;
}

export function describeTiming(timing: StepTiming): string {
  const { moment, offsetMs, atLocal } = timing;
  const offset =
    offsetMs === 0 ? '' : offsetMs > 0 ? ` + ${formatDuration(offsetMs)}` : ` - ${formatDuration(-offsetMs)}`;
  const at = atLocal
    ? ` at ${String(atLocal.hour).padStart(2, '0')}:${String(atLocal.minute).padStart(2, '0')} local`
    : '';
  return `${moment}${offset}${at}`;
}

export function describeCondition(condition: Condition): string {
  if ('all' in condition) return condition.all.map(describeCondition).join(' and ');
  if ('any' in condition) return `(${condition.any.map(describeCondition).join(' or ')})`;
  if ('not' in condition) return `not ${describeCondition(condition.not)}`;
  return condition.op === 'exists'
    ? `${condition.field} exists`
    : `${condition.field} ${condition.op} ${JSON.stringify(condition.value)}`;
}

function describeStep(step: Step): string {
  const lines = [
    `  ${step.key}`,
    `      when      ${describeTiming(step.timing)}`,
    `      via       ${step.channel}${step.owner ? ` (owner: ${step.owner})` : ''}, template ${step.template}`,
    `      purpose   ${step.purpose}${step.survey ? `, survey ${step.survey}` : ''}`,
  ];
  if (step.when) lines.push(`      only if   ${describeCondition(step.when)}`);
  if (step.cancelOn.length > 0) lines.push(`      cancelled ${step.cancelOn.join(', ')}`);
  if (step.description) lines.push(`      why       ${step.description}`);
  return lines.join('\n');
}

export function describePlaybook(p: Playbook): string {
  return [
    `${p.name} v${p.version} (${p.source})`,
    p.description ? `${p.description}\n` : '',
    `ends on: ${p.exitOn.join(', ') || 'nothing'}; return window ${formatDuration(p.returnWindowMs)}; ` +
      `delayed after promise + ${formatDuration(p.delayGraceMs)}; late steps skipped after ${formatDuration(p.staleAfterMs)}`,
    '',
    `${p.steps.length} steps:`,
    ...p.steps.map(describeStep),
    '',
  ].join('\n');
}

export async function playbookShowCommand(name: string): Promise<number> {
  const playbook = await loadPlaybookFile(playbookPath(name));
  process.stdout.write(describePlaybook(playbook));
  return EXIT_OK;
}
