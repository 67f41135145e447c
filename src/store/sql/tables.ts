// The tables as the query builder sees them, for both dialects. Values are stored the same way
// everywhere: times as integer epoch milliseconds, booleans as 0/1 (PostgreSQL: boolean, which
// accepts 0/1 and reads back as true/false), JSON as text (PostgreSQL: jsonb for what people may
// query, text for our own compact encodings). values.ts reads either form back.
import type { ColumnType, Generated } from 'kysely';

/** Written as 0/1; read back as 0/1 (SQLite) or false/true (PostgreSQL). */
export type BoolColumn = ColumnType<number | boolean, number, number>;
/** Written as JSON text; read back as text (SQLite) or parsed (PostgreSQL jsonb). */
export type JsonColumn = ColumnType<unknown, string, string>;
/** JsonColumn that may be NULL (no value known). */
export type NullableJsonColumn = ColumnType<unknown, string | null, string | null>;

export interface CustomersTable {
  id: string;
  email: string | null;
  email_lower: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  segment: string;
  holdout: BoolColumn;
  temperature: number;
  /** JSON array of {delta, why, at}. */
  temperature_reasons: string;
  open_concerns: number;
  awaiting_person_since: number | null;
  last_nps: number | null;
  engaged_at: number | null;
  /** JSON {topicsOff, channelsOff, pausedUntil}. */
  preferences: string;
  unsubscribed_at: number | null;
  email_bounced_at: number | null;
  /** Added by 0007-repeat. */
  order_count: number;
  last_order_id: string | null;
  attributes: JsonColumn;
  created_at: number;
  /** Added by 0017-dashboard-scale: the folded name search reads (core/nameKey.ts). */
  name_key: string | null;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  placed_at: number;
  currency: string;
  total: number;
  segment: string;
  items: JsonColumn;
  shipments: JsonColumn;
  moments: JsonColumn;
  /** The order's place among its customer's orders (1 = first); added by 0007-repeat. */
  sequence: number;
  attributes: JsonColumn;
  /** Events that only restate this order's own record, kept here instead of as rows (plan/embedded.ts). */
  embedded_events: string;
  updated_at: number;
  /** The customer-facing number (`#1042`); null when the source has none (0006-orders). */
  order_number: string | null;
  /** JSON ShippingAddress, or null (0006-orders). */
  shipping_address: NullableJsonColumn;
  /** Migration 0005-lifecycle: goods, service or software. */
  kind: string;
  renewal_period: string | null;
  renewal_cycle: number;
}

export interface EventsTable {
  id: string;
  customer_id: string;
  order_id: string | null;
  type: string;
  at: number;
  data: JsonColumn;
  received_at: number;
  heard_at: number | null;
}

export interface EnrollmentsTable {
  order_id: string;
  playbook: string;
  customer_id: string;
  playbook_version: number;
  holdout: BoolColumn;
  status: string;
  ended_reason: string | null;
  enrolled_at: number;
  /** The compact plan: touch points not yet handed to the queue (plan/codec.ts). */
  plan: string;
  /** The plan's first scheduled step in claim order (due, purpose priority, id): the queue's index. */
  next_due_at: number | null;
  next_priority: number | null;
  next_key: string | null;
}

export interface TouchPointsTable {
  id: string;
  order_id: string;
  playbook: string;
  step_key: string;
  customer_id: string;
  playbook_version: number;
  channel: string;
  purpose: string;
  priority: number;
  holdout: BoolColumn;
  due_at: number;
  status: string;
  attempt: number;
  lease_until: number | null;
  claimed_by: string | null;
  reason: string | null;
  reason_detail: string | null;
  outcome_at: number | null;
  provider_id: string | null;
  created_at: number;
}

export interface TasksTable {
  id: string;
  touch_point_id: string;
  customer_id: string;
  order_id: string | null;
  concern_id: string | null;
  kind: string;
  title: string;
  script: string;
  due_at: number;
  owner: string | null;
  status: string;
  outcome: string | null;
  notes: string | null;
  created_at: number;
  completed_at: number | null;
  /** When `aftercare letters` last printed it (migration 0010-letters). */
  printed_at: number | null;
}

export interface ConcernsTable {
  id: string;
  customer_id: string;
  order_id: string | null;
  source: string;
  severity: string;
  summary: string;
  status: string;
  level: number;
  owner: string | null;
  opened_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  resolution: string | null;
  /** JSON array of {level, at}. */
  escalations: string;
  /** Null once resolved or at the top of the ladder. */
  next_escalation_at: number | null;
  source_event_id: string;
}

export interface SuppressionsTable {
  email_hash: string;
  reason: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  hash: string;
  /** JSON array of scopes, in API_SCOPES order. */
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface IdempotencyKeysTable {
  api_key_id: string;
  key: string;
  fingerprint: string;
  token: string;
  /** Null while the request is being processed. */
  status: number | null;
  body: string | null;
  created_at: number;
  expires_at: number;
}

export interface PlaybookVersionsTable {
  name: string;
  version: number;
  fingerprint: string;
  definition: string;
  /** JSON object: template name -> source. */
  templates: string;
  registered_at: number;
}

export interface InboxTable {
  seq: Generated<number>;
  source: string;
  /** The DomainEvent, JSON. */
  event: string;
  received_at: number;
  lease_until: number;
}

/** Install-wide values made once (the install's secret key). */
export interface SettingsTable {
  name: string;
  value: string;
}

/** Tombstones: keyed hashes of an erased person's identities (core/identity.ts tombstonesOf). */
export interface ErasedIdentitiesTable {
  hash: string;
  erased_at: number;
}

/** One team's audit of one interaction (0009-gaps). */
export interface AuditsTable {
  team: string;
  interaction: string;
  importance: number;
  performance: number;
  note: string | null;
  imported_at: number;
}

/** What is to be done about a gap (0009-gaps); `id` counts up from 1. */
export interface ActionItemsTable {
  id: Generated<number>;
  interaction: string;
  title: string;
  owner: string;
  due: string;
  status: string;
  created_at: number;
  done_at: number | null;
  playbook_version: string | null;
}

export interface OfferCodesTable {
  code: string;
  offer_id: string;
  source: string;
  created_at: number;
  touch_point_id: string | null;
  customer_id: string | null;
  assigned_at: number | null;
  redeemed_at: number | null;
  redeemed_order_id: string | null;
}

/** A person who signs in to the dashboard (0016-dashboard). */
export interface UsersTable {
  id: string;
  email: string;
  email_lower: string;
  name: string | null;
  role: string;
  password_hash: string;
  time_zone: string;
  created_at: number;
  disabled_at: number | null;
}

/** A dashboard session, keyed by the hash of its token (0016-dashboard). */
export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/** One address on the news digest's list (0013-mailing-list). */
export interface ListSubscribersTable {
  id: string;
  email: string;
  email_key: string;
  customer_id: string | null;
  locale: string | null;
  timezone: string | null;
  status: string;
  requested_at: number;
  request_source: string;
  request_ip: string | null;
  confirmations_sent: number;
  last_confirmation_at: number | null;
  /** ConsentProof, JSON. */
  consent: string | null;
  unsubscribed_at: number | null;
  unsubscribe_source: string | null;
  last_digest_at: number | null;
  last_digest_period: number | null;
}

/** A news item for the digest (0013-mailing-list). */
export interface ListNewsTable {
  id: string;
  title: string;
  body: string;
  locale: string | null;
  created_at: number;
}

/** One subscriber's digest of one period: the claim, then how it ended (0013-mailing-list). */
export interface ListDigestsTable {
  subscriber_id: string;
  period: number;
  status: string;
  lease_until: number;
  done_at: number | null;
}

/** A deal before its order (0015-deals); JSON columns hold the rest of core/deals/deal.ts. */
export interface DealsTable {
  id: string;
  source: string | null;
  external_id: string | null;
  company: string;
  domain: string | null;
  contact: string;
  owner: string | null;
  expected_close_at: number;
  value: string;
  segment: string;
  kind: string;
  lead_days: number;
  products: string;
  stage: string;
  meetings: string;
  promised: string;
  shared_at: number | null;
  order_id: string | null;
  customer_id: string | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A customer story told to a customer (0011-stories), written with the send's outcome. */
export interface StoryTellingsTable {
  customer_id: string;
  story_id: string;
  touch_point_id: string;
  told_at: number;
}

/** A sign-in limit's fixed window (0017-dashboard-scale): kind + key, counted by upsert. */
export interface RateWindowsTable {
  kind: string;
  key: string;
  started_at: number;
  count: number;
}

export interface Tables {
  customers: CustomersTable;
  orders: OrdersTable;
  events: EventsTable;
  enrollments: EnrollmentsTable;
  touch_points: TouchPointsTable;
  tasks: TasksTable;
  concerns: ConcernsTable;
  suppressions: SuppressionsTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  playbook_versions: PlaybookVersionsTable;
  inbox: InboxTable;
  settings: SettingsTable;
  erased_identities: ErasedIdentitiesTable;
  audits: AuditsTable;
  users: UsersTable;
  sessions: SessionsTable;
  deals: DealsTable;
  action_items: ActionItemsTable;
  offer_codes: OfferCodesTable;
  list_subscribers: ListSubscribersTable;
  list_news: ListNewsTable;
  list_digests: ListDigestsTable;
  story_tellings: StoryTellingsTable;
  rate_windows: RateWindowsTable;
}
