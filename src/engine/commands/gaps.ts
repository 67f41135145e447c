// Gap analysis: import and compare team audits, keep action items, and analyse the interaction
// catalogue (importance against performance, largest gap first). `aftercare audit|actions`, the
// API (/api/v1/gaps, /audits, /actions) and the report (its `gaps` field) all come here.
import { basename } from 'node:path';
import type { Millis } from '../../core/domain.js';
import { isTeamName } from '../../core/measuring/audit.js';
import { parseAuditCsv, type AuditCsvIssue } from '../../core/measuring/auditCsv.js';
import { compareAudits, type TeamComparison } from '../../core/measuring/agreement.js';
import type { InteractionCatalogue, InteractionQuestion } from '../../core/measuring/interactions.js';
import { analyseGaps, type Gap } from '../../core/measuring/ipa.js';
import { utcDayStart } from '../../core/utcDay.js';
import { AftercareError } from '../../errors.js';
import type { MeasureCells, MeasureQuery } from '../../core/measuring/cells.js';
import type { ActionItem, ActionStatus, AuditEntry, GapsStore } from '../../store/ports/gaps.js';
import type { MeasuringStore } from '../../store/ports/measuring.js';
import type { PlaybookVersionStore } from '../../store/ports/playbookVersions.js';
import type { Clock } from '../clock.js';

export interface GapCommandDeps {
  gaps: GapsStore;
  /** The report's cells: answers and pairs of answers (core/measuring/cells.ts). */
  measuring: Pick<MeasuringStore, 'cells'>;
  playbooks: Pick<PlaybookVersionStore, 'getPlaybookVersion'>;
  clock: Clock;
  /** The interaction catalogue (read on first use by the composition root); null when none applies. */
  catalogue: () => Promise<InteractionCatalogue | null>;
  /** MeasureQuery.maxLagMs of the answers read (AFTERCARE_REPORT_MAX_LAG); absent: 0. */
  maxLagMs?: number;
}

/** `YYYY-MM-DD` (UTC days, inclusive), as the report takes them. */
export interface GapWindow {
  since?: string;
  until?: string;
}

/** A team's audit at a glance. */
export interface TeamAudit {
  team: string;
  interactions: number;
  importedAt: Millis;
}

/** What the report embeds as `gaps`, and GET /api/v1/gaps answers. */
export interface GapReport {
  /** The catalogue analysed: its playbook and file name; null when none applies (docs/gaps.md). */
  catalogue: { playbook: string; source: string; interactions: number } | null;
  window: { since: string | null; until: string | null };
  /** Largest gap first (core/measuring/ipa.ts `Gap`). */
  interactions: Gap[];
  /** Where the quadrants are split; null with fewer than two interactions having both scores. */
  means: { importance: number; performance: number } | null;
  /** The question derived importance is measured against. */
  overall: InteractionQuestion | null;
  /** Every pair of audited teams compared, when two or more teams have audits. */
  teams: TeamComparison[];
  /** Open action items per interaction, in the order of `interactions`; interactions without any left out. */
  actions: { interaction: string; open: ActionItem[] }[];
  /**
   * The survey answers the analysis counted: every answer to the catalogue's question steps
   * (and the overall question) in the window; `complete` is always true now that they are
   * counted from the report's cells rather than read one by one (kept for API clients).
   */
  answers: { read: number; complete: boolean };
}

export type AuditImport =
  | { ok: true; team: string; imported: number; replaced: number }
  | { ok: false; why: 'invalid_team' }
  | { ok: false; why: 'no_catalogue' }
  /** Nothing was imported; every problem is named by file, line and column. */
  | { ok: false; why: 'invalid_file'; issues: AuditCsvIssue[] };

export type AuditComparison =
  | { ok: true; comparison: TeamComparison }
  | { ok: false; why: 'unknown_team'; team: string }
  | { ok: false; why: 'same_team' };

export interface NewAction {
  interaction: string;
  title: string;
  owner: string;
  /** `YYYY-MM-DD`. */
  due: string;
}

export type AddedAction =
  | { ok: true; action: ActionItem }
  | { ok: false; why: 'no_catalogue' }
  | { ok: false; why: 'unknown_interaction'; known: string[] }
  | { ok: false; why: 'invalid'; field: keyof NewAction; message: string };

export type DoneAction =
  | { ok: true; action: ActionItem }
  | { ok: false; why: 'not_found' }
  | { ok: false; why: 'invalid_playbook_version' }
  /** No such playbook version was ever run (see `aftercare playbook list`). */
  | { ok: false; why: 'unknown_playbook_version'; playbookVersion: string };

export interface GapCommands {
  catalogue(): Promise<InteractionCatalogue | null>;
  /** A team's audit from CSV text; all or nothing; a re-import replaces the team's audit. */
  importAudit(team: string, text: string, file: string): Promise<AuditImport>;
  /** Each team's audit at a glance, and every entry (by team, then interaction). */
  listAudits(): Promise<{ teams: TeamAudit[]; entries: AuditEntry[] }>;
  compareAudits(teamA: string, teamB: string): Promise<AuditComparison>;
  addAction(input: NewAction): Promise<AddedAction>;
  listActions(filter?: { status?: ActionStatus; interaction?: string }): Promise<ActionItem[]>;
  /** `playbookVersion`: `name@version` of the playbook change that closed it. */
  completeAction(id: number, playbookVersion?: string | null): Promise<DoneAction>;
  /**
   * `counted`: cells the caller already read for the same window (the report's), with the
   * playbook they were narrowed to, if any; read afresh when absent or narrowed to another.
   */
  analyse(window?: GapWindow, counted?: CountedCells): Promise<GapReport>;
}

/** Cells read for a window, and the playbook they were narrowed to (undefined: every playbook). */
export interface CountedCells {
  cells: MeasureCells;
  playbook?: string;
}

export const PLAYBOOK_VERSION = /^([a-z0-9-]+)@([1-9]\d{0,8})$/;
const MAX_TEXT = 200;
/** Pairs of teams compared at most (the first teams by name): 10 teams give 45 pairs. */
export const MAX_COMPARED_TEAMS = 10;

/** The window checked, as the measuring query takes it (UTC days, inclusive). */
function checkedWindow(window: GapWindow): Pick<MeasureQuery, 'since' | 'until'> {
  const out: Pick<MeasureQuery, 'since' | 'until'> = {};
  for (const key of ['since', 'until'] as const) {
    const day = window[key];
    if (day === undefined) continue;
    if (utcDayStart(day) === null) {
      throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${key} must be a day like 2026-03-02`, {
        field: key,
      });
    }
    out[key] = day;
  }
  return out;
}

export function gapCommands(deps: GapCommandDeps): GapCommands {
  const { gaps, clock } = deps;

  const commands: GapCommands = {
    catalogue: () => deps.catalogue(),

    async importAudit(team, text, file) {
      if (!isTeamName(team)) return { ok: false, why: 'invalid_team' };
      const catalogue = await deps.catalogue();
      if (catalogue === null) return { ok: false, why: 'no_catalogue' };
      const parsed = parseAuditCsv(
        text,
        file,
        catalogue.interactions.map((i) => i.id),
      );
      if (!parsed.ok) return { ok: false, why: 'invalid_file', issues: parsed.issues };
      const before = await gaps.listAudits(team);
      const importedAt = clock.now();
      await gaps.replaceAudit(
        team,
        parsed.rows.map((r) => ({
          interaction: r.interaction,
          importance: r.importance,
          performance: r.performance,
          note: r.note,
          importedAt,
        })),
      );
      return { ok: true, team, imported: parsed.rows.length, replaced: before.length };
    },

    async listAudits() {
      const entries = await gaps.listAudits();
      const teams = new Map<string, TeamAudit>();
      for (const e of entries) {
        const seen = teams.get(e.team);
        if (seen === undefined)
          teams.set(e.team, { team: e.team, interactions: 1, importedAt: e.importedAt });
        else {
          seen.interactions += 1;
          seen.importedAt = Math.max(seen.importedAt, e.importedAt);
        }
      }
      return { teams: [...teams.values()], entries };
    },

    async compareAudits(teamA, teamB) {
      if (teamA === teamB) return { ok: false, why: 'same_team' };
      const [a, b] = await Promise.all([gaps.listAudits(teamA), gaps.listAudits(teamB)]);
      if (a.length === 0) return { ok: false, why: 'unknown_team', team: teamA };
      if (b.length === 0) return { ok: false, why: 'unknown_team', team: teamB };
      return { ok: true, comparison: compareAudits(teamA, a, teamB, b) };
    },

    async addAction(input) {
      const catalogue = await deps.catalogue();
      if (catalogue === null) return { ok: false, why: 'no_catalogue' };
      const known = catalogue.interactions.map((i) => i.id);
      if (!known.includes(input.interaction)) return { ok: false, why: 'unknown_interaction', known };
      const invalid = (field: keyof NewAction, message: string): AddedAction => ({
        ok: false,
        why: 'invalid',
        field,
        message,
      });
      const title = input.title.trim();
      const owner = input.owner.trim();
      if (title === '' || title.length > MAX_TEXT)
        return invalid('title', `must be 1-${MAX_TEXT} characters`);
      if (owner === '' || owner.length > MAX_TEXT)
        return invalid('owner', `must be 1-${MAX_TEXT} characters`);
      if (utcDayStart(input.due) === null) return invalid('due', 'must be a day like 2026-03-02');
      const action = await gaps.addActionItem({
        interaction: input.interaction,
        title,
        owner,
        due: input.due,
        createdAt: clock.now(),
      });
      return { ok: true, action };
    },

    listActions: (filter = {}) => gaps.listActionItems(filter),

    async completeAction(id, playbookVersion = null) {
      if (playbookVersion !== null) {
        const m = PLAYBOOK_VERSION.exec(playbookVersion);
        if (m === null) return { ok: false, why: 'invalid_playbook_version' };
        const known = await deps.playbooks.getPlaybookVersion(m[1]!, Number(m[2]));
        if (known === null) return { ok: false, why: 'unknown_playbook_version', playbookVersion };
      }
      if ((await gaps.getActionItem(id)) === null) return { ok: false, why: 'not_found' };
      const action = await gaps.completeActionItem(id, clock.now(), playbookVersion);
      return action === null ? { ok: false, why: 'not_found' } : { ok: true, action };
    },

    async analyse(window = {}, counted) {
      const range = checkedWindow(window);
      const catalogue = await deps.catalogue();
      const shownWindow = { since: window.since ?? null, until: window.until ?? null };
      const audits = await gaps.listAudits();
      const open = await gaps.listActionItems({ status: 'open' });
      const teams = [...new Set(audits.map((a) => a.team))].slice(0, MAX_COMPARED_TEAMS);
      const comparisons: TeamComparison[] = [];
      for (let i = 0; i < teams.length; i++) {
        for (let j = i + 1; j < teams.length; j++) {
          const [a, b] = [teams[i]!, teams[j]!];
          comparisons.push(
            compareAudits(
              a,
              audits.filter((x) => x.team === a),
              b,
              audits.filter((x) => x.team === b),
            ),
          );
        }
      }
      if (catalogue === null) {
        return {
          catalogue: null,
          window: shownWindow,
          interactions: [],
          means: null,
          overall: null,
          teams: comparisons,
          actions: [],
          answers: { read: 0, complete: true },
        };
      }
      const cells =
        counted !== undefined && (counted.playbook === undefined || counted.playbook === catalogue.playbook)
          ? counted.cells
          : await deps.measuring.cells({
              ...range,
              playbook: catalogue.playbook,
              asOf: clock.now(),
              maxLagMs: deps.maxLagMs ?? 0,
            });
      const answers = cells.answers.filter((a) => a.playbook === catalogue.playbook);
      const pairs = cells.pairs.filter((p) => p.playbook === catalogue.playbook);
      const analysis = analyseGaps({ catalogue, answers, pairs, audits });
      const questions = new Set(catalogue.interactions.flatMap((i) => i.questions.map((q) => q.step)));
      if (catalogue.overall) questions.add(catalogue.overall.step);
      let read = 0;
      for (const a of answers) if (a.step !== null && questions.has(a.step)) read += a.count;
      const actions = analysis.interactions
        .map((g) => ({
          interaction: g.interaction,
          open: open.filter((a) => a.interaction === g.interaction),
        }))
        .filter((a) => a.open.length > 0);
      return {
        catalogue: {
          playbook: catalogue.playbook,
          // The file's name, not where it lives on the server.
          source: basename(catalogue.source),
          interactions: catalogue.interactions.length,
        },
        window: shownWindow,
        interactions: analysis.interactions,
        means: analysis.means,
        overall: analysis.overall,
        teams: comparisons,
        actions,
        answers: { read, complete: true },
      };
    },
  };
  return commands;
}
