// Who may see and do what on the dashboard: four roles and one table of permissions. Every
// dashboard route names the permission it needs and the server checks it on each request
// (http/dashboard/guard.ts); nothing is merely hidden in the page.
export const ROLES = ['owner', 'manager', 'rep', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** The overview: touch points, concerns, temperatures, lift, failures. */
  'overview',
  /** A rep's inbox: open tasks and their own. */
  'inbox',
  /** Claim and complete tasks (typed outcomes, call-backs). */
  'tasks.work',
  /** Search customers and read their timelines. */
  'customers.read',
  /** Move, cancel or send a touch point now. */
  'touchPoints.change',
  /** Export and erase a customer's data. */
  'privacy',
  /** The playbooks: steps on a timeline, versions side by side, validate, simulate. */
  'playbooks.read',
  /** Effectiveness: the report's metrics, lift and gaps, audits compared, action items. */
  'reports.read',
  /** Add action items and mark them done. */
  'actions.manage',
  /** The outbox: sent messages with their previews. */
  'outbox.read',
  /** Create and disable users, see API keys and settings. */
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const TABLE: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS,
  manager: [
    'overview',
    'inbox',
    'tasks.work',
    'customers.read',
    'touchPoints.change',
    'privacy',
    'playbooks.read',
    'reports.read',
    'actions.manage',
    'outbox.read',
  ],
  rep: ['inbox', 'tasks.work', 'customers.read'],
  viewer: ['overview', 'customers.read', 'playbooks.read', 'reports.read'],
};

export function may(role: Role, permission: Permission): boolean {
  return TABLE[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The table as rows, for docs and tests. */
export function permissionTable(): { role: Role; permissions: readonly Permission[] }[] {
  return ROLES.map((role) => ({ role, permissions: TABLE[role] }));
}
