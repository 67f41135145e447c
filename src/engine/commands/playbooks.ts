// The playbooks this process runs (list, get by name), and a check of a playbook under edit: its
// YAML parsed and validated as at start-up, and each step's template looked up among this
// process's templates. Nothing is loaded or enrolled by checking.
import { analyzePlaybook, type PlaybookIssue } from '../../core/playbook/parse.js';
import type { Playbook } from '../../core/playbook/types.js';
import { templateIssues, type TemplateLookup } from '../playbookTemplates.js';

export interface PlaybookValidation {
  valid: boolean;
  /** Every problem, each with line, column and field; empty when valid. */
  issues: PlaybookIssue[];
  /** The parsed playbook when its YAML is valid (even if a template is missing); else null. */
  playbook: Playbook | null;
}

export interface PlaybookCommands {
  /** The playbooks every new order is enrolled in. */
  list(): readonly Playbook[];
  get(name: string): Playbook | null;
  /** `source` names the text in the issues (`request`, a file name). */
  validate(text: string, source: string): PlaybookValidation;
}

export function playbookCommands(deps: {
  playbooks: readonly Playbook[];
  templates: TemplateLookup;
}): PlaybookCommands {
  const { playbooks, templates } = deps;
  return {
    list: () => playbooks,
    get: (name) => playbooks.find((p) => p.name === name) ?? null,
    validate(text, source) {
      const analyzed = analyzePlaybook(text, source);
      if (!analyzed.result.ok) return { valid: false, issues: analyzed.result.issues, playbook: null };
      const { playbook } = analyzed.result;
      // Whoever sends a playbook to check learns nothing of this machine's folders.
      const issues = templateIssues(playbook, templates, {
        file: source,
        locate: (path) => analyzed.locate(path),
        showFiles: false,
      });
      return { valid: issues.length === 0, issues, playbook };
    },
  };
}
