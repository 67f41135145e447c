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
