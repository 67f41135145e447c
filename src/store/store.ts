// The Store: one object per open database, holding the capability ports. Each feature is given
// only the capabilities it uses (the dispatcher the queue and consent, the task channel the
// tasks, routes the engine's commands...). Adapters: sqlite/ (embedded default), postgres/
// (scale-out) and memory/ (simulation); all pass test/store-contract.
import type { AccessStore } from './ports/access.js';
import type { ClusterPort } from './ports/cluster.js';
import type { ConsentStore } from './ports/consent.js';
import type { CustomerSearchStore } from './ports/customerSearch.js';
import type { DealsStore } from './ports/deals.js';
import type { GapsStore } from './ports/gaps.js';
import type { InboxStore } from './ports/inbox.js';
import type { IntakeStore } from './ports/intake.js';
import type { ListeningStore } from './ports/listening.js';
import type { MailingListStore } from './ports/mailingList.js';
import type { MeasuringStore } from './ports/measuring.js';
import type { OffersStore } from './ports/offers.js';
import type { PlaybookVersionStore } from './ports/playbookVersions.js';
import type { PrivacyStore } from './ports/privacy.js';
import type { DispatchQueue } from './ports/queue.js';
import type { RateWindowStore } from './ports/rateWindows.js';
import type { ReadStore } from './ports/reads.js';
import type { ScheduleStore } from './ports/schedule.js';
import type { StoryStore } from './ports/stories.js';
import type { TaskStore } from './ports/tasks.js';
import type { UserStore } from './ports/users.js';
import type { SchemaState } from './sql/schema/migrate.js';

export type StoreDialect = 'sqlite' | 'postgres' | 'memory';

export interface Store {
  readonly dialect: StoreDialect;
  readonly intake: IntakeStore;
  readonly queue: DispatchQueue;
  readonly schedule: ScheduleStore;
  readonly consent: ConsentStore;
  readonly tasks: TaskStore;
  readonly reads: ReadStore;
  readonly access: AccessStore;
  readonly privacy: PrivacyStore;
  readonly playbooks: PlaybookVersionStore;
  readonly inbox: InboxStore;
  /** What the listener reads and writes: unheard events, concerns and their timers. */
  readonly listening: ListeningStore;
  /** The report's additive cells: touch points, answers and outcomes per enrollment key. */
  readonly measuring: MeasuringStore;
  /** Team audits, action items and the survey answers gap analysis reads. */
  readonly gaps: GapsStore;
  /** Insider offer codes: the pools, who got which, which order used it. */
  readonly offers: OffersStore;
  /** The dashboard's people and their sessions. */
  readonly users: UserStore;
  /** Finding customers by address, a page at a time; temperature bands. */
  readonly customerSearch: CustomerSearchStore;
  /** The news digest's double opt-in list, its news items and its once-per-period claims. */
  readonly mailingList: MailingListStore;
  /** Deals before their order: the plan they were shown, the meetings agreed. */
  readonly deals: DealsStore;
  /** Which customer stories each customer has been told (written with the send's outcome). */
  readonly stories: StoryStore;
  /** Fixed-window counters every process shares (the dashboard's sign-in limits). */
  readonly rateWindows: RateWindowStore;
  /** Present when several processes share the store (PostgreSQL). */
  readonly cluster: ClusterPort | null;
  /** Create or upgrade the schema; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** What the database holds of the schema, read without changing it (`aftercare doctor`). */
  schemaState(): Promise<SchemaState>;
  close(): Promise<void>;
}
