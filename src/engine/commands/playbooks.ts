// The playbooks this process runs (list, get by name), the versions of them the store recorded
// (each version that planned a touch point, its definition as it was), a check of a playbook
// under edit (its YAML parsed and validated as at start-up, each step's template looked up among
// this process's templates), and a bounded simulation of the running playbooks over a few orders
// (the engine of `aftercare simulate`, on a fresh in-memory store). Nothing is loaded, enrolled
// or sent by checking or simulating.
import type { DomainEvent } from '../../core/domain.js';
import { analyzePlaybook, type PlaybookIssue } from '../../core/playbook/parse.js';
import { playbookFromDefinition } from '../../core/playbook/snapshot.js';
import type { Playbook } from '../../core/playbook/types.js';
import { AftercareError } from '../../errors.js';
import type { PlaybookVersionStore } from '../../store/ports/playbookVersions.js';
import { templateIssues, type TemplateLookup } from '../playbookTemplates.js';
import type { SimulationResult } from '../simulation.js';

export interface PlaybookValidation {
  valid: boolean;
  /** Every problem, each with line, column and field; empty when valid. */
  issues: PlaybookIssue[];
  /** The parsed playbook when its YAML is valid (even if a template is missing); else null. */
  playbook: Playbook | null;
}

/** A version the store recorded (it planned touch points here, or was started here). */
export interface RecordedVersion {
  name: string;
  version: number;
  fingerprint: string;
  registeredAt: number;
}

/** Bounds of a simulation run inside the server process. */
export const SIMULATION_LIMITS = Object.freeze({
  /** Orders (distinct order ids among the events). */
  orders: 50,
  events: 1_000,
  days: 120,
  /** Wall-clock budget of one run. */
  budgetMs: 10_000,
});

export interface SimulationRequest {
  events: DomainEvent[];
  days: number;
  /** Only this running playbook; absent: all of them, as `aftercare simulate` does. */
  playbook?: string;
}

/** Runs the engine of `aftercare simulate` (composition root): fresh store, nothing sent. */
export type Simulate = (input: {
  events: DomainEvent[];
  days: number;
  playbooks: readonly Playbook[];
  deadline: number;
}) => Promise<SimulationResult>;

export interface PlaybookCommands {
  /** The playbooks every new order is enrolled in. */
  list(): readonly Playbook[];
  get(name: string): Playbook | null;
  /** `source` names the text in the issues (`request`, a file name). */
  validate(text: string, source: string): PlaybookValidation;
  /** Every recorded version of `name`, oldest first (a handful per playbook). */
  versions(name: string): Promise<RecordedVersion[]>;
  /** A recorded version as it was defined; null when the store holds no such version. */
  version(name: string, version: number): Promise<Playbook | null>;
  /**
   * Who would get what and when: the events run through intake, planner and dispatcher on a
   * virtual clock. Bounded (SIMULATION_LIMITS), and one run at a time per process.
   */
  simulate(request: SimulationRequest): Promise<SimulationResult>;
}

export function playbookCommands(deps: {
  playbooks: readonly Playbook[];
  templates: TemplateLookup;
  /** The recorded versions; absent (tests of other commands): none recorded. */
  versions?: Pick<PlaybookVersionStore, 'listPlaybookVersions' | 'getPlaybookVersion'>;
  /** The simulation engine; absent: simulating is refused. */
  simulate?: Simulate;
  /** The wall clock of the simulation's budget; default Date.now. */
  wallNow?: () => number;
}): PlaybookCommands {
  const { playbooks, templates } = deps;
  const wallNow = deps.wallNow ?? Date.now;
  let running = false;
  return {
    list: () => playbooks,
    get: (name) => playbooks.find((p) => p.name === name) ?? null,
    validate(text, source) {
      const analyzed = analyzePlaybook(text, source);
      if (!analyzed.result.ok) return { valid: false, issues: analyzed.result.issues, playbook: null };
      const { playbook } = analyzed.result;
      // Whoever sends a playbook to check learns nothing of this machine's folders.
      const issues = templateIssues(playbook, templates, {
        file: source,
        locate: (path) => analyzed.locate(path),
        showFiles: false,
      });
      return { valid: issues.length === 0, issues, playbook };
    },
    async versions(name) {
      if (deps.versions === undefined) return [];
      return (await deps.versions.listPlaybookVersions())
        .filter((v) => v.name === name)
        .map(({ name: n, version, fingerprint, registeredAt }) => ({
          name: n,
          version,
          fingerprint,
          registeredAt,
        }))
        .sort((a, b) => a.version - b.version);
    },
    async version(name, version) {
      const snapshot = (await deps.versions?.getPlaybookVersion(name, version)) ?? null;
      return snapshot === null
        ? null
        : playbookFromDefinition(snapshot.definition, `stored:${name}@${version}`);
    },
    async simulate(request) {
      if (deps.simulate === undefined) {
        throw new AftercareError('AFTERCARE_E_CONFLICT', 'this process cannot simulate');
      }
      const chosen =
        request.playbook === undefined ? playbooks : playbooks.filter((p) => p.name === request.playbook);
      if (chosen.length === 0) {
        throw new AftercareError(
          'AFTERCARE_E_PLAYBOOK_NOT_FOUND',
          `playbook: this process runs no playbook named "${request.playbook ?? ''}"`,
          { field: 'playbook' },
        );
      }
      checkSimulation(request);
      if (running) {
        throw new AftercareError(
          'AFTERCARE_E_RATE_LIMITED',
          'another simulation is running in this process; try again in a few seconds',
        );
      }
      running = true;
      try {
        return await deps.simulate({
          events: request.events,
          days: request.days,
          playbooks: chosen,
          deadline: wallNow() + SIMULATION_LIMITS.budgetMs,
        });
      } finally {
        running = false;
      }
    },
  };
}

function checkSimulation(request: SimulationRequest): void {
  const { days, events } = request;
  if (!Number.isInteger(days) || days < 1 || days > SIMULATION_LIMITS.days) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      `days: must be a whole number from 1 to ${SIMULATION_LIMITS.days}, not ${String(days)}`,
      { field: 'days' },
    );
  }
  if (events.length === 0) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'orders: there are no orders to simulate', {
      field: 'orders',
    });
  }
  if (events.length > SIMULATION_LIMITS.events) {
    throw new AftercareError(
      'AFTERCARE_E_PAYLOAD_TOO_LARGE',
      `orders: ${events.length} events; at most ${SIMULATION_LIMITS.events} are simulated here (use aftercare simulate for more)`,
      { field: 'orders', limit: SIMULATION_LIMITS.events },
    );
  }
  const orders = new Set(events.map((e) => e.orderId).filter((id) => id !== null)).size;
  if (orders > SIMULATION_LIMITS.orders) {
    throw new AftercareError(
      'AFTERCARE_E_PAYLOAD_TOO_LARGE',
      `orders: ${orders} orders; at most ${SIMULATION_LIMITS.orders} are simulated here (use aftercare simulate for more)`,
      { field: 'orders', limit: SIMULATION_LIMITS.orders },
    );
  }
}
