// Every application command, each group built from only the capability ports it uses. The HTTP
// routes, the CLI and the dashboard are handed these; the composition root (app/compose.ts) builds
// them once per process.
import type { Playbook } from '../../core/playbook/types.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { Intake } from '../intake.js';
import type { TemplateLookup } from '../playbookTemplates.js';
import { apiKeyCommands, type ApiKeyCommands } from './apiKeys.js';
import { customerCommands, type CustomerCommands } from './customers.js';
import { ingestCommands, type IngestCommands } from './ingest.js';
import { playbookCommands, type PlaybookCommands } from './playbooks.js';
import { privacyCommands, type PrivacyCommands, type SentCopies } from './privacy.js';
import { statusCommands, type StatusCommands } from './status.js';
import { taskCommands, type TaskCommands } from './tasks.js';
import { touchPointCommands, type TouchPointCommands } from './touchPoints.js';

/** The commands that need the store alone (`keys`, `status`, and the reads and changes by hand). */
export interface StoreCommands {
  apiKeys: ApiKeyCommands;
  customers: CustomerCommands;
  privacy: PrivacyCommands;
  status: StatusCommands;
  tasks: TaskCommands;
  touchPoints: TouchPointCommands;
}

/** Every command: the store's, plus those that need the playbooks (ingest, playbooks). */
export interface Commands extends StoreCommands {
  ingest: IngestCommands;
  playbooks: PlaybookCommands;
}

export interface StoreCommandDeps {
  store: Pick<Store, 'access' | 'privacy' | 'reads' | 'schedule' | 'tasks'>;
  clock: Clock;
  sentCopies: SentCopies;
  /** Wakes the dispatcher: work may be due now. */
  wake: () => void;
}

export interface CommandDeps extends StoreCommandDeps {
  intake: Pick<Intake, 'ingest'>;
  playbooks: readonly Playbook[];
  templates: TemplateLookup;
}

export function createStoreCommands(deps: StoreCommandDeps): StoreCommands {
  const { store, clock, wake } = deps;
  return {
    apiKeys: apiKeyCommands({ access: store.access, clock }),
    customers: customerCommands({ reads: store.reads }),
    privacy: privacyCommands({ privacy: store.privacy, sentCopies: deps.sentCopies, clock }),
    status: statusCommands({ reads: store.reads }),
    tasks: taskCommands({ tasks: store.tasks, clock }),
    touchPoints: touchPointCommands({ reads: store.reads, schedule: store.schedule, clock, wake }),
  };
}

export function createCommands(deps: CommandDeps): Commands {
  return {
    ...createStoreCommands(deps),
    ingest: ingestCommands({ intake: deps.intake, wake: deps.wake }),
    playbooks: playbookCommands({ playbooks: deps.playbooks, templates: deps.templates }),
  };
}
