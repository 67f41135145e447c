// `aftercare lint [PLAYBOOK...]`: every step's template in every locale file present, rendered
// for the sample customer, checked by the content rules (core/content/lint.ts). Prints
// `FILE:LINE: rule-id severity: message`; exit 1 when any finding is an error.
import { relative } from 'node:path';
import { loadPlaybookFile, playbookPath } from '../app/playbooks.js';
import type { BusinessInfo } from '../core/business.js';
import { lintMessage, type Finding, type Severity } from '../core/content/lint.js';
import type { Playbook } from '../core/playbook/types.js';
import { LinkTokens } from '../engine/links/token.js';
import { loadConfig, type ConfigIssue } from '../config.js';
import { loadTips } from '../config/tips.js';
import { EMPTY_TIP_CATALOGUE, type TipCatalogue } from '../core/education/series.js';
import { defaultTemplatesDir } from '../templates/paths.js';
import { TemplateRenderer } from '../templates/render.js';
import { EXIT_OK, EXIT_REJECTED } from './exit.js';
import { lineOf, localeSources } from './lintSources.js';
import { countSyllables } from './lintSyllables.js';
import { contextFor, sampleCustomer, sampleOrder, sampleStories, storyFor } from './templateSample.js';

/**
 * The business every lint renders with, not the configured one, so a result does not depend on
 * the machine. Its name starts with a vowel so that "a {{ business.name }}" shows as the slip it is.
 */
export const LINT_BUSINESS: BusinessInfo = {
  name: 'Aftercare Demo Shop',
  website: 'https://shop.example.com',
  supportEmail: 'help@shop.example.com',
  supportPhone: '+1 555 0199',
  escalationName: 'Dana Reyes',
  escalationEmail: 'dana@shop.example.com',
  postalAddress: '1 Market Street, Springfield 12345',
  fromEmail: 'care@shop.example.com',
};
const PUBLIC_URL = 'https://care.shop.example.com';

export interface LintLine {
  file: string;
  line: number;
  rule: string;
  severity: Severity;
  message: string;
  playbook: string;
  step: string;
  locale: string;
}

/** Every finding of these playbooks' templates, sorted by file and line, each reported once. */
export function lintPlaybooks(
  playbooks: readonly Playbook[],
  now: number,
  tips: TipCatalogue = EMPTY_TIP_CATALOGUE,
): LintLine[] {
  const tokens = LinkTokens.ephemeral();
  const seen = new Set<string>();
  const out: LintLine[] = [];
  for (const playbook of playbooks) {
    const dirs = [...(playbook.templatesDir ? [playbook.templatesDir] : []), defaultTemplatesDir()];
    for (const step of playbook.steps) {
      for (const source of localeSources(dirs, step.template)) {
        const locale = source.locale === '' ? 'en' : source.locale;
        const renderer = TemplateRenderer.fromSources({ [step.template]: source.text });
        const customer = sampleCustomer(now, locale, 'America/New_York');
        // A tip step is checked with every series' tip of its number, in this locale.
        const series: (string | undefined)[] =
          step.tip === undefined
            ? [undefined]
            : tips.series.filter((s) => s.tips.length >= (step.tip ?? 0)).map((s) => s.id);
        for (const tipSeries of series.length > 0 ? series : [undefined]) {
          const order = sampleOrder(now, 'USD');
          const context = contextFor(playbook, step, customer, order, {
            business: LINT_BUSINESS,
            publicUrl: PUBLIC_URL,
            defaultTimezone: 'America/New_York',
            tokens,
            now,
            tips,
            // A story step is linted with the sample story it would tell in this locale.
            story: storyFor(step, sampleStories(), customer, order, locale),
            ...(tipSeries === undefined ? {} : { tipSeries }),
          });
          const rendered = renderer.render(step.template, context);
          const links = context['links'] as Record<string, string>;
          const findings = lintMessage(
            {
              locale,
              purpose: step.purpose,
              channel: step.channel,
              subject: rendered.subject || rendered.title,
              text: rendered.text,
              facts: {
                businessName: LINT_BUSINESS.name,
                postalAddress: LINT_BUSINESS.postalAddress,
                supportEmail: LINT_BUSINESS.supportEmail,
                supportPhone: LINT_BUSINESS.supportPhone,
                unsubscribeUrl: links['unsubscribe'] ?? null,
                helpUrl: links['help'] ?? null,
              },
            },
            countSyllables,
          );
          for (const finding of findings) {
            const where = lineOf(source.files, finding.needles);
            const line = toLine(where, finding, playbook.name, step.key, locale);
            const key = `${line.file}:${line.line}:${line.rule}:${line.message}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(line);
          }
        }
      }
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}

function toLine(
  where: { file: string; line: number },
  finding: Finding,
  playbook: string,
  step: string,
  locale: string,
): LintLine {
  return {
    file: where.file,
    line: where.line,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    playbook,
    step,
    locale,
  };
}

export function formatLintLine(line: LintLine, cwd = process.cwd()): string {
  const file = relative(cwd, line.file);
  const shown = file.startsWith('..') ? line.file : file;
  return `${shown}:${line.line}: ${line.rule} ${line.severity}: [${line.locale}] ${line.step}: ${line.message}`;
}

export async function lintCommand(refs: readonly string[], options: { json?: boolean }): Promise<number> {
  const chosen = refs.length > 0 ? refs : loadConfig(process.env).playbooks;
  const playbooks: Playbook[] = [];
  for (const ref of chosen) playbooks.push(await loadPlaybookFile(playbookPath(ref)));
  const issues: ConfigIssue[] = [];
  const tips = loadTips({ AFTERCARE_TIPS_DIR: process.env.AFTERCARE_TIPS_DIR?.trim() || undefined }, issues);
  if (tips === null) {
    for (const issue of issues) process.stderr.write(`${issue.variable}: ${issue.problem}\n`);
    return EXIT_REJECTED;
  }
  const lines = lintPlaybooks(playbooks, Date.now(), tips);
  const errors = lines.filter((l) => l.severity === 'error').length;
  const warnings = lines.length - errors;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ findings: lines, errors, warnings })}\n`);
  } else {
    for (const line of lines) process.stdout.write(`${formatLintLine(line)}\n`);
    const names = playbooks.map((p) => p.name).join(', ');
    process.stderr.write(`lint ${names}: ${errors} error(s), ${warnings} warning(s)\n`);
  }
  return errors > 0 ? EXIT_REJECTED : EXIT_OK;
}
