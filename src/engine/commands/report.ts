// The measuring report (`aftercare report`, GET /api/v1/reports/...): the store's cells for the
// period, the step definitions of every playbook version that planned them (stored versions
// first, the configured playbooks for versions never stored), assembled by core/measuring/report.ts.
import type { MeasureCells, MeasureQuery } from '../../core/measuring/cells.js';
import { assembleReport, type MeasuredReport, type VersionDefinition } from '../../core/measuring/report.js';
import { playbookFromDefinition } from '../../core/playbook/snapshot.js';
import type { Playbook, Step } from '../../core/playbook/types.js';
import { AftercareError } from '../../errors.js';
import type { MeasuringStore } from '../../store/ports/measuring.js';
import type { PlaybookVersionStore } from '../../store/ports/playbookVersions.js';
import type { Clock } from '../clock.js';
import type { GapCommands, GapReport } from './gaps.js';
import {
  compareSharedPlans,
  type SharedPlanComparison,
  type SharedPlanRow,
} from '../../core/measuring/sharedPlans.js';

export interface ReportQuery {
  /** First and last UTC day of purchase, `YYYY-MM-DD`, both inclusive. */
  since?: string;
  until?: string;
  playbook?: string;
}

/** The whole report: `aftercare report`, GET /api/v1/reports/summary. */
export interface Report extends MeasuredReport {
  /** Deal customers whose plan was shared before the close against the others (descriptive). */
  deals?: SharedPlanComparison;
  /** Importance against performance of each interaction, largest gap first (engine/commands/gaps.ts). */
  gaps: GapReport;
}

export interface ReportCommands {
  /** Metrics, lift and version comparison for orders placed in the period. */
  measure(query: ReportQuery): Promise<MeasuredReport>;
  /** The gap analysis over the same period. */
  gaps(query: ReportQuery): Promise<GapReport>;
  summary(query: ReportQuery): Promise<Report>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day: `2026-02-30` is refused, not rolled into March. */
export function isCalendarDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === value;
}

function checkQuery(query: ReportQuery): void {
  for (const field of ['since', 'until'] as const) {
    const value = query[field];
    if (value !== undefined && !isCalendarDay(value)) {
      throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: must be a day like 2026-03-01`, {
        field,
      });
    }
  }
  if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      `until: ${query.until} is before since (${query.since})`,
      { field: 'until' },
    );
  }
}

function stepDefinition(step: Step): VersionDefinition['steps'][number] {
  return {
    key: step.key,
    channel: step.channel,
    survey: step.survey,
    measurement: step.measurement === true,
  };
}

export function reportCommands(deps: {
  measuring: MeasuringStore;
  versions: PlaybookVersionStore;
  clock: Clock;
  gaps: Pick<GapCommands, 'analyse'>;
  /** MeasureQuery.maxLagMs of every report (AFTERCARE_REPORT_MAX_LAG); absent: 0. */
  maxLagMs?: number;
  /** The playbooks this process runs, for versions the store does not hold (none in production). */
  playbooks?: readonly Playbook[];
  /** Deal customers, shared or not before the close (engine/commands/deals.ts); absent: no deals section. */
  deals?: () => Promise<readonly SharedPlanRow[]>;
}): ReportCommands {
  const configured = deps.playbooks ?? [];
  async function definitions(names: ReadonlySet<string>): Promise<VersionDefinition[]> {
    const stored = await deps.versions.listPlaybookVersions();
    const found = new Map<string, VersionDefinition>();
    for (const version of stored) {
      const key = `${version.name}@${version.version}`;
      if (!names.has(key)) continue;
      const snapshot = await deps.versions.getPlaybookVersion(version.name, version.version);
      if (snapshot === null) continue;
      const playbook = playbookFromDefinition(snapshot.definition, `stored:${key}`);
      found.set(key, {
        playbook: playbook.name,
        version: playbook.version,
        steps: playbook.steps.map(stepDefinition),
      });
    }
    for (const playbook of configured) {
      const key = `${playbook.name}@${playbook.version}`;
      if (names.has(key) && !found.has(key))
        found.set(key, {
          playbook: playbook.name,
          version: playbook.version,
          steps: playbook.steps.map(stepDefinition),
        });
    }
    return [...found.values()];
  }

  async function knownPlaybook(name: string): Promise<boolean> {
    if (configured.some((p) => p.name === name)) return true;
    return (await deps.versions.listPlaybookVersions()).some((v) => v.name === name);
  }

  const window = (query: ReportQuery) => ({
    ...(query.since !== undefined ? { since: query.since } : {}),
    ...(query.until !== undefined ? { until: query.until } : {}),
  });
  /** The report and the cells it was made of (the gap analysis reuses them). */
  async function measured(query: ReportQuery): Promise<{ report: MeasuredReport; cells: MeasureCells }> {
    checkQuery(query);
    if (query.playbook !== undefined && !(await knownPlaybook(query.playbook))) {
      throw new AftercareError(
        'AFTERCARE_E_PLAYBOOK_NOT_FOUND',
        `playbook: no playbook named "${query.playbook}" has run here`,
        { field: 'playbook' },
      );
    }
    const asOf = deps.clock.now();
    const measureQuery: MeasureQuery = {
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(query.until !== undefined ? { until: query.until } : {}),
      ...(query.playbook !== undefined ? { playbook: query.playbook } : {}),
      maxLagMs: deps.maxLagMs ?? 0,
      asOf,
    };
    const cells = await deps.measuring.cells(measureQuery);
    const names = new Set<string>();
    for (const list of [cells.steps, cells.answers, cells.outcomes])
      for (const cell of list) names.add(`${cell.playbook}@${cell.version}`);
    const report = assembleReport({
      cells,
      definitions: await definitions(names),
      query: measureQuery,
      generatedAt: deps.clock.now(),
    });
    return { report, cells };
  }

  const commands: ReportCommands = {
    async measure(query) {
      return (await measured(query)).report;
    },
    async gaps(query) {
      checkQuery(query);
      return deps.gaps.analyse(window(query));
    },
    async summary(query) {
      const { report, cells } = await measured(query);
      // The same window's cells: the analysis counts its answers from them instead of reading again.
      const gaps = await deps.gaps.analyse(window(query), {
        cells,
        ...(query.playbook !== undefined ? { playbook: query.playbook } : {}),
      });
      if (deps.deals === undefined) return { ...report, gaps };
      return { ...report, gaps, deals: compareSharedPlans(await deps.deals()) };
    },
  };
  return commands;
}
