// The effectiveness pages (docs/dashboard.md): the report with its charts and downloads, audits
// compared, and action items.
import type { DashboardContext } from '../index.js';
import { actionRoutes } from './actions.js';
import { auditRoutes } from './audits.js';
import { reportRoutes } from './report.js';

export function effectivenessRoutes(context: DashboardContext): void {
  reportRoutes(context);
  auditRoutes(context);
  actionRoutes(context);
}
