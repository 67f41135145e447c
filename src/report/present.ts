// The report as JSON for people and programs (`aftercare report --format json`, the API): as the
// rest of the API, times are ISO 8601 strings; the gap analysis's action items carry epoch
// milliseconds inside the engine and are turned into times here, as GET /api/v1/gaps shows them.
import type { Report } from '../engine/commands/report.js';
import type { ActionItem } from '../store/ports/gaps.js';

export type PresentedAction = Omit<ActionItem, 'createdAt' | 'doneAt'> & {
  createdAt: string;
  doneAt: string | null;
};

export type PresentedGaps = Omit<Report['gaps'], 'actions'> & {
  actions: { interaction: string; open: PresentedAction[] }[];
};

export type PresentedReport = Omit<Report, 'gaps'> & { gaps: PresentedGaps };

const iso = (at: number): string => new Date(at).toISOString();

export function presentGaps(gaps: Report['gaps']): PresentedGaps {
  return {
    ...gaps,
    actions: gaps.actions.map((a) => ({
      interaction: a.interaction,
      open: a.open.map((item) => ({
        ...item,
        createdAt: iso(item.createdAt),
        doneAt: item.doneAt === null ? null : iso(item.doneAt),
      })),
    })),
  };
}

export function presentReport(report: Report): PresentedReport {
  return { ...report, gaps: presentGaps(report.gaps) };
}
