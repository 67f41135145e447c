// Every application command, each group built from only the capability ports it uses. The HTTP
// routes, the CLI and the dashboard are handed these; the composition root (app/compose.ts) builds
// them once per process.
import type { InteractionCatalogue } from '../../core/measuring/interactions.js';
import type { Playbook } from '../../core/playbook/types.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
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
import { playbookCommands, type PlaybookCommands } from './playbooks.js';
import { postalCommands, type PostalCommands } from './postal.js';
import { privacyCommands, type PrivacyCommands, type SentCopies } from './privacy.js';
import { reportCommands, type ReportCommands } from './report.js';
import { statusCommands, type StatusCommands } from './status.js';
import { taskCommands, type TaskCommands } from './tasks.js';
import { touchPointCommands, type TouchPointCommands } from './touchPoints.js';

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
  /** The measuring report: metrics, lift against the holdout, gaps. */
  reports: ReportCommands;
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
}

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
    | 'deals'
  >;
  clock: Clock;
  sentCopies: SentCopies;
  /** Wakes the dispatcher: work may be due now. */
  wake: () => void;
  /** The interaction catalogue of gap analysis (app/interactions.ts); absent: none. */
  interactions?: () => Promise<InteractionCatalogue | null>;
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
  proposals?: {
    linkTokens: LinkTokens;
    publicUrl: string;
    defaultTimezone: string;
    currency?: CurrencyRates;
  };
}

export function createStoreCommands(deps: StoreCommandDeps): StoreCommands {
  const { store, clock, wake } = deps;
  const gaps = gapCommands({
    gaps: store.gaps,
    playbooks: store.playbooks,
    clock,
    catalogue: deps.interactions ?? (() => Promise.resolve(null)),
  });
  return {
    apiKeys: apiKeyCommands({ access: store.access, clock }),
    customers: customerCommands({ reads: store.reads }),
    privacy: privacyCommands({ privacy: store.privacy, sentCopies: deps.sentCopies, clock }),
    status: statusCommands({ reads: store.reads }),
    touchPoints: touchPointCommands({ reads: store.reads, schedule: store.schedule, clock, wake }),
    postal: postalCommands({ tasks: store.tasks, reads: store.reads, clock }),
    gaps,
    reports: reportCommands({ measuring: store.measuring, versions: store.playbooks, clock, gaps }),
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
      playbooks: deps.playbooks,
      deals: () => deals.sharedComparison(),
    }),
    ingest: ingestCommands({ intake: deps.intake, wake: deps.wake }),
    playbooks: playbookCommands({ playbooks: deps.playbooks, templates: deps.templates }),
    tasks: taskCommands({
      tasks: deps.store.tasks,
      clock: deps.clock,
      intake: deps.intake,
      listener: deps.listener,
    }),
    deals,
    concerns: concernCommands({
      listening: deps.store.listening,
      intake: deps.intake,
      listener: deps.listener,
      clock: deps.clock,
    }),
  };
}
