// Every dashboard route and the permission it needs (core/roles.ts): the one table the server
// enforces (guard.ts checks it on each request), the tests walk for every role, and
// docs/dashboard.md shows. A route without a permission needs only a signed-in user.
import type { Permission } from '../../core/roles.js';

export const DASHBOARD_PREFIX = '/dashboard';

export interface DashboardRoute {
  method: 'GET' | 'POST';
  path: string;
  /** null: any signed-in user. */
  permission: Permission | null;
  what: string;
}

export const DASHBOARD_ROUTES = [
  { method: 'GET', path: '/', permission: null, what: 'your start page (overview, or the inbox for reps)' },
  { method: 'GET', path: '/overview', permission: 'overview', what: 'the overview' },
  { method: 'GET', path: '/inbox', permission: 'inbox', what: 'open tasks and your own' },
  { method: 'GET', path: '/tasks/:id', permission: 'inbox', what: 'a task with its script and the customer' },
  { method: 'POST', path: '/tasks/:id/outcome', permission: 'tasks.work', what: 'complete a task' },
  { method: 'GET', path: '/customers', permission: 'customers.read', what: 'search customers' },
  { method: 'GET', path: '/customers/:id', permission: 'customers.read', what: "a customer's timeline" },
  {
    method: 'GET',
    path: '/effectiveness',
    permission: 'reports.read',
    what: 'read the effectiveness report',
  },
  {
    method: 'GET',
    path: '/effectiveness/report.json',
    permission: 'reports.read',
    what: 'download the report as JSON',
  },
  {
    method: 'GET',
    path: '/effectiveness/report.html',
    permission: 'reports.read',
    what: 'download the report as an HTML file',
  },
  {
    method: 'GET',
    path: '/effectiveness/audits',
    permission: 'reports.read',
    what: "compare two teams' audits",
  },
  {
    method: 'GET',
    path: '/effectiveness/actions',
    permission: 'reports.read',
    what: 'read the action items',
  },
  {
    method: 'POST',
    path: '/effectiveness/actions',
    permission: 'actions.manage',
    what: 'add an action item',
  },
  {
    method: 'POST',
    path: '/effectiveness/actions/:id/done',
    permission: 'actions.manage',
    what: 'mark an action item done',
  },
  {
    method: 'POST',
    path: '/customers/:id/touch-points/:touchPointId/move',
    permission: 'touchPoints.change',
    what: 'move a touch point',
  },
  {
    method: 'POST',
    path: '/customers/:id/touch-points/:touchPointId/cancel',
    permission: 'touchPoints.change',
    what: 'cancel a touch point',
  },
  {
    method: 'POST',
    path: '/customers/:id/touch-points/:touchPointId/send-now',
    permission: 'touchPoints.change',
    what: 'send a touch point now',
  },
  { method: 'GET', path: '/customers/:id/export', permission: 'privacy', what: "download a customer's data" },
  { method: 'GET', path: '/customers/:id/erase', permission: 'privacy', what: 'erase a customer' },
  { method: 'POST', path: '/customers/:id/erase', permission: 'privacy', what: 'erase a customer' },
  { method: 'GET', path: '/playbooks', permission: 'playbooks.read', what: 'the playbooks running here' },
  { method: 'GET', path: '/playbooks/validate', permission: 'playbooks.read', what: 'check a playbook' },
  { method: 'POST', path: '/playbooks/validate', permission: 'playbooks.read', what: 'check a playbook' },
  {
    method: 'GET',
    path: '/playbooks/simulate',
    permission: 'playbooks.read',
    what: 'simulate the playbooks',
  },
  {
    method: 'POST',
    path: '/playbooks/simulate',
    permission: 'playbooks.read',
    what: 'simulate the playbooks',
  },
  {
    method: 'GET',
    path: '/playbooks/:name',
    permission: 'playbooks.read',
    what: "a playbook's steps on a timeline",
  },
  {
    method: 'GET',
    path: '/playbooks/:name/versions',
    permission: 'playbooks.read',
    what: 'two versions of a playbook side by side',
  },
  { method: 'GET', path: '/outbox', permission: 'outbox.read', what: 'list sent messages' },
  { method: 'GET', path: '/outbox/:id', permission: 'outbox.read', what: 'preview a sent message' },
  { method: 'GET', path: '/settings', permission: 'admin', what: 'see settings, API keys and users' },
  { method: 'POST', path: '/settings/api-keys', permission: 'admin', what: 'create an API key' },
  { method: 'POST', path: '/settings/api-keys/:id/revoke', permission: 'admin', what: 'revoke an API key' },
  { method: 'POST', path: '/settings/users', permission: 'admin', what: 'create a user' },
  { method: 'POST', path: '/settings/users/:id/disable', permission: 'admin', what: 'disable a user' },
  { method: 'POST', path: '/sign-out', permission: null, what: 'sign out here' },
  { method: 'POST', path: '/sign-out-everywhere', permission: null, what: 'end every session of yours' },
] as const satisfies readonly DashboardRoute[];

export type DashboardPath = (typeof DASHBOARD_ROUTES)[number]['path'];

export function routeOf(method: 'GET' | 'POST', path: DashboardPath): DashboardRoute {
  const found = DASHBOARD_ROUTES.find((r) => r.method === method && r.path === path);
  if (found === undefined) throw new Error(`no dashboard route ${method} ${path}`);
  return found;
}
