// Every application command, each group built from only the capability ports it uses. The HTTP
// routes, the CLI and the dashboard are handed these; the composition root (app/compose.ts) builds
// them once per process.
import type { OfferCatalogue } from '../../core/offers/offer.js';
import type { InteractionCatalogue } from '../../core/measuring/interactions.js';
import type { Playbook } from '../../core/playbook/types.js';
import type { Store } from '../../store/store.js';
import { SystemClock, type Clock } from '../clock.js';
import type { Intake } from '../intake.js';
import type { TemplateLookup } from '../playbookTemplates.js';
import type { Listener } from '../listening/listener.js';
import { LinkTokens } from '../links/token.js';
import type { CurrencyRates } from '../../core/money.js';
import { apiKeyCommands, type ApiKeyCommands } from './apiKeys.js';
import { concernCommands, type ConcernCommands } from './concerns.js';
import { customerCommands, type CustomerCommands } from './customers.js';
import { dealCommands, type DealCommands } from './deals.js';
import { gapCommands, type GapCommands } from './gaps.js';
import { ingestCommands, type IngestCommands } from './ingest.js';
import { mailingListCommands, type MailingListCommands } from './mailingList.js';
import type { ListMailDeps } from '../list/mail.js';
import { playbookCommands, type PlaybookCommands, type Simulate } from './playbooks.js';
import { offerCommands, type OfferCommands } from './offers.js';
import { outboxCommands, type OutboxCommands, type OutboxDeps } from './outbox.js';
import { postalCommands, type PostalCommands } from './postal.js';
import { privacyCommands, type PrivacyCommands, type SentCopies } from './privacy.js';
import { reportCommands, type ReportCommands } from './report.js';
import { sessionCommands, type SessionCommands, type SessionLifetimes } from './sessions.js';
import { signInLimitCommands, type SignInLimitCommands } from './signInLimits.js';
import { statusCommands, type StatusCommands } from './status.js';
import { taskCommands, type TaskCommands } from './tasks.js';
import { touchPointCommands, type TouchPointCommands } from './touchPoints.js';
import { userCommands, type UserCommands } from './users.js';

/** The commands that need the store alone (`keys`, `status`, and the reads and changes by hand). */
export interface StoreCommands {
  apiKeys: ApiKeyCommands;
  customers: CustomerCommands;
  privacy: PrivacyCommands;
  status: StatusCommands;
  touchPoints: TouchPointCommands;
  /** A day's letter and gift tasks, and printing letters (`aftercare letters`, `aftercare gifts`). */
  postal: PostalCommands;
  /** Team audits, action items and gap analysis (they need the interaction catalogue, read on first use). */
  gaps: GapCommands;
  /** Insider offers: their pools, and importing the shop's codes. */
  offers: OfferCommands;
  /** The measuring report: metrics, lift against the holdout, gaps. */
  reports: ReportCommands;
  /** The dashboard's people (`aftercare users`). */
  users: UserCommands;
  /** Signing in to the dashboard and out again. */
  sessions: SessionCommands;
  /** How many sign-in attempts an account and a client address may make (counted in the store). */
  signInLimits: SignInLimitCommands;
  /** The news digest's double opt-in list and its news items. */
  mailingList: MailingListCommands;
}

/** Every command: the store's, plus those that need the playbooks, intake or the listener. */
export interface Commands extends StoreCommands {
  ingest: IngestCommands;
  playbooks: PlaybookCommands;
  /** Completing a task is an event on the timeline, heard at once. */
  tasks: TaskCommands;
  concerns: ConcernCommands;
  /** Deals before their order: the proposed plan, its links, closing when the order arrives. */
  deals: DealCommands;
  /** What went out: sent messages newest first, and each as it was sent (the dashboard's outbox). */
  outbox: OutboxCommands;
}

interface People {
  clock: Clock;
  lifetimes: SessionLifetimes;
  defaultTimeZone: string;
}

/** Without `people` (tests of other commands): the system clock, 2 h idle, 12 h at most, UTC. */
const DEFAULT_PEOPLE: () => People = () => ({
  clock: new SystemClock(),
  lifetimes: { idleMs: 2 * 3_600_000, absoluteMs: 12 * 3_600_000 },
  defaultTimeZone: 'UTC',
});

export interface StoreCommandDeps {
  store: Pick<
    Store,
    | 'access'
    | 'privacy'
    | 'reads'
    | 'schedule'
    | 'tasks'
    | 'listening'
    | 'gaps'
    | 'playbooks'
    | 'measuring'
    | 'offers'
    | 'users'
    | 'customerSearch'
    | 'mailingList'
    | 'consent'
    | 'deals'
    | 'rateWindows'
  >;
  clock: Clock;
  sentCopies: SentCopies;
  /** Wakes the dispatcher: work may be due now. */
  wake: () => void;
  /** The interaction catalogue of gap analysis (app/interactions.ts); absent: none. */
  interactions?: () => Promise<InteractionCatalogue | null>;
  /** Insider offers (AFTERCARE_OFFERS_FILE); absent: none. */
  offers?: OfferCatalogue | null;
  /** How old a changed day's stored count reports may show (AFTERCARE_REPORT_MAX_LAG); absent: 0. */
  reportMaxLagMs?: number;
  /**
   * People signing in: sessions run on this clock (the wall clock, also in the demo, whose
   * scaled clock would end a session in a second), for these lifetimes; a new user's zone.
   */
  people?: People;
  /** What the mailing list's confirmation mails need; absent: sign-ups cannot be taken. */
  listMail?: ListMailDeps;
}

export interface CommandDeps extends StoreCommandDeps {
  intake: Pick<Intake, 'ingest'>;
  playbooks: readonly Playbook[];
  templates: TemplateLookup;
  /** Hears what a command appended, before the command answers. */
  listener: Pick<Listener, 'hearThrough'>;
  /**
   * What deals need to plan in the prospect's zone and to hand out proposal links; absent (tests
   * of other commands): UTC and links that die with the process.
   */
  /** The engine of `aftercare simulate` over this process's playbooks; absent: none (tests). */
  simulate?: Simulate;
  proposals?: {
    linkTokens: LinkTokens;
    publicUrl: string;
    defaultTimezone: string;
    currency?: CurrencyRates;
  };
  /**
   * Where sent messages are read back: the e-mail outbox's copies, else the dispatcher's steps
   * and composer; absent (tests of other commands): nothing can be shown.
   */
  sentMessages?: Omit<OutboxDeps, 'reads'>;
}

export function createStoreCommands(deps: StoreCommandDeps): StoreCommands {
  const { store, clock, wake } = deps;
  const people = deps.people ?? DEFAULT_PEOPLE();
  const gaps = gapCommands({
    gaps: store.gaps,
    measuring: store.measuring,
    playbooks: store.playbooks,
    clock,
    catalogue: deps.interactions ?? (() => Promise.resolve(null)),
    maxLagMs: deps.reportMaxLagMs ?? 0,
  });
  return {
    apiKeys: apiKeyCommands({ access: store.access, clock }),
    customers: customerCommands({ reads: store.reads, search: store.customerSearch }),
    privacy: privacyCommands({
      privacy: store.privacy,
      sentCopies: deps.sentCopies,
      clock,
      mailingList: store.mailingList,
      reads: store.reads,
      deals: store.deals,
    }),
    mailingList: mailingListCommands({
      list: store.mailingList,
      reads: store.reads,
      consent: store.consent,
      clock,
      ...(deps.listMail ? { mail: deps.listMail } : {}),
    }),
    status: statusCommands({ reads: store.reads }),
    touchPoints: touchPointCommands({ reads: store.reads, schedule: store.schedule, clock, wake }),
    postal: postalCommands({ tasks: store.tasks, reads: store.reads, clock }),
    gaps,
    offers: offerCommands({ offers: store.offers, catalogue: deps.offers ?? null, clock }),
    reports: reportCommands({
      measuring: store.measuring,
      versions: store.playbooks,
      clock,
      gaps,
      maxLagMs: deps.reportMaxLagMs ?? 0,
    }),
    users: userCommands({
      users: store.users,
      clock: people.clock,
      defaultTimeZone: people.defaultTimeZone,
    }),
    sessions: sessionCommands({ users: store.users, clock: people.clock, lifetimes: people.lifetimes }),
    signInLimits: signInLimitCommands({ windows: store.rateWindows, clock: people.clock }),
  };
}

export function createCommands(deps: CommandDeps): Commands {
  const storeCommands = createStoreCommands(deps);
  const deals = dealCommands({
    deals: deps.store.deals,
    reads: deps.store.reads,
    schedule: deps.store.schedule,
    intake: deps.intake,
    playbooks: deps.playbooks,
    clock: deps.clock,
    wake: deps.wake,
    ...(deps.proposals ?? {
      linkTokens: LinkTokens.ephemeral(),
      publicUrl: 'http://localhost:8080',
      defaultTimezone: 'UTC',
    }),
  });
  return {
    ...storeCommands,
    // With the configured playbooks for versions the store does not hold (a fresh process's own).
    reports: reportCommands({
      measuring: deps.store.measuring,
      versions: deps.store.playbooks,
      clock: deps.clock,
      gaps: storeCommands.gaps,
      maxLagMs: deps.reportMaxLagMs ?? 0,
      playbooks: deps.playbooks,
      deals: () => deals.sharedComparison(),
    }),
    ingest: ingestCommands({ intake: deps.intake, wake: deps.wake }),
    playbooks: playbookCommands({
      playbooks: deps.playbooks,
      templates: deps.templates,
      versions: deps.store.playbooks,
      ...(deps.simulate ? { simulate: deps.simulate } : {}),
    }),
    tasks: taskCommands({
      tasks: deps.store.tasks,
      clock: deps.clock,
      intake: deps.intake,
      listener: deps.listener,
    }),
    deals,
    outbox: outboxCommands({
      reads: deps.store.reads,
      ...(deps.sentMessages ?? { copies: { read: () => Promise.resolve(null) }, render: null }),
    }),
    concerns: concernCommands({
      listening: deps.store.listening,
      intake: deps.intake,
      listener: deps.listener,
      clock: deps.clock,
    }),
  };
}
