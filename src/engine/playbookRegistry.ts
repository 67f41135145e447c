// The playbook versions this process runs: the configured ones (new orders are enrolled in
// them) and every older version a touch point was planned under, read back from the store
// with its own templates when first needed. A touch point planned under v1 is decided and
// rendered with v1's step and words even after v2 is deployed.
import { baseStepKey } from '../core/renewalCycle.js';
import type { Millis } from '../core/domain.js';
import {
  playbookDefinition,
  playbookFingerprint,
  playbookFromDefinition,
  templateNames,
} from '../core/playbook/snapshot.js';
import type { Playbook, Step } from '../core/playbook/types.js';
import { AftercareError } from '../errors.js';
import type { PlaybookSnapshot, PlaybookVersionStore } from '../store/ports/playbookVersions.js';
import { TemplateRenderer, type SnapshotRendererOptions } from '../templates/render.js';
import type { StepResolver } from './dispatch/compose.js';

export interface PinnedPlaybook {
  playbook: Playbook;
  renderer: TemplateRenderer;
  steps: ReadonlyMap<string, Step>;
}

/** Thrown by a synchronous lookup that needs a version not loaded yet: load it, then try again. */
export class PlaybookVersionMissing extends Error {
  constructor(
    readonly playbook: string,
    readonly version: number,
  ) {
    super(`playbook ${playbook} version ${version} is not loaded`);
  }
}

function key(name: string, version: number): string {
  return `${name}@${version}`;
}

function pin(playbook: Playbook, renderer: TemplateRenderer): PinnedPlaybook {
  return { playbook, renderer, steps: new Map(playbook.steps.map((step) => [step.key, step])) };
}

export class PlaybookRegistry {
  private readonly pinned = new Map<string, PinnedPlaybook>();
  private readonly loading = new Map<string, Promise<PinnedPlaybook | null>>();
  /** Versions the store does not hold: asked once, then known gone. */
  private readonly absent = new Set<string>();
  private readonly configured: ReadonlyMap<string, Playbook>;

  private constructor(
    private readonly store: PlaybookVersionStore | null,
    current: readonly Playbook[],
    renderer: TemplateRenderer,
    private readonly rendererOptions: SnapshotRendererOptions,
  ) {
    this.configured = new Map(current.map((p) => [p.name, p]));
    for (const playbook of current)
      this.pinned.set(key(playbook.name, playbook.version), pin(playbook, renderer));
  }

  /**
   * Records each configured playbook version with its templates (the first time it is seen) and
   * refuses one whose content changed under the same version number.
   */
  static async open(options: {
    store: PlaybookVersionStore;
    playbooks: readonly Playbook[];
    renderer: TemplateRenderer;
    now: Millis;
    rendererOptions?: SnapshotRendererOptions;
  }): Promise<PlaybookRegistry> {
    for (const playbook of options.playbooks) {
      const definition = playbookDefinition(playbook);
      const templates = options.renderer.sources(templateNames(playbook));
      const snapshot: PlaybookSnapshot = {
        name: playbook.name,
        version: playbook.version,
        fingerprint: playbookFingerprint(definition, templates),
        definition,
        templates,
        registeredAt: options.now,
      };
      const stored = await options.store.registerPlaybookVersion(snapshot);
      if (stored.fingerprint !== snapshot.fingerprint) {
        throw new AftercareError(
          'AFTERCARE_E_PLAYBOOK_VERSION_CHANGED',
          `playbook ${playbook.name} (${playbook.source}) differs from the version ${playbook.version} ` +
            `already in use (its steps or templates changed): raise its "version:" to deploy the change`,
          { playbook: playbook.name, version: playbook.version, source: playbook.source },
        );
      }
    }
    return new PlaybookRegistry(
      options.store,
      options.playbooks,
      options.renderer,
      options.rendererOptions ?? {},
    );
  }

  /** Only these playbooks, nothing stored (tests, and simulations of one version). */
  static fixed(playbooks: readonly Playbook[], renderer: TemplateRenderer): PlaybookRegistry {
    return new PlaybookRegistry(null, playbooks, renderer, {});
  }

  /** The configured versions: new orders are enrolled in these. */
  get current(): Playbook[] {
    return [...this.configured.values()];
  }

  /** Whether a playbook of this name is still configured (one taken out stops sending). */
  isConfigured(name: string): boolean {
    return this.configured.has(name);
  }

  /** A loaded version, or undefined (see `load`). */
  get(name: string, version: number): PinnedPlaybook | undefined {
    return this.pinned.get(key(name, version));
  }

  /**
   * The playbook an enrollment of `name` pinned to `version` is planned with; null when that
   * playbook is no longer configured (its enrollments are left as they are) or the version is
   * nowhere to be found. Throws PlaybookVersionMissing when it has to be loaded first.
   */
  resolve(name: string, version: number): Playbook | null {
    if (!this.configured.has(name)) return null;
    const found = this.get(name, version);
    if (found !== undefined) return found.playbook;
    if (this.store === null || this.absent.has(key(name, version))) return null;
    throw new PlaybookVersionMissing(name, version);
  }

  /** The dispatcher's view: each touch point's step from the version that planned it. */
  steps(): StepResolver {
    return {
      prepare: (touchPoints) =>
        this.loadAll(
          touchPoints
            .filter((t) => this.configured.has(t.playbook))
            .map((t) => ({ name: t.playbook, version: t.playbookVersion })),
        ),
      resolve: (touchPoint) => {
        if (!this.configured.has(touchPoint.playbook)) return null;
        const pinned = this.get(touchPoint.playbook, touchPoint.playbookVersion);
        // A later renewal cycle's touch point (`renewal-notice.2`) is its step's.
        const step = pinned?.steps.get(baseStepKey(touchPoint.stepKey));
        return pinned && step ? { step, playbook: pinned.playbook, renderer: pinned.renderer } : null;
      },
    };
  }

  /** Loads a stored version (once, however many ask at the same time); null when the store has none. */
  load(name: string, version: number): Promise<PinnedPlaybook | null> {
    const k = key(name, version);
    const found = this.pinned.get(k);
    if (found !== undefined) return Promise.resolve(found);
    let loading = this.loading.get(k);
    if (loading === undefined) {
      loading = this.fetch(name, version).finally(() => this.loading.delete(k));
      this.loading.set(k, loading);
    }
    return loading;
  }

  /** Loads every version among `wanted` that is not loaded yet. */
  async loadAll(wanted: Iterable<{ name: string; version: number }>): Promise<void> {
    const missing = new Map<string, { name: string; version: number }>();
    for (const w of wanted)
      if (!this.pinned.has(key(w.name, w.version))) missing.set(key(w.name, w.version), w);
    await Promise.all([...missing.values()].map((w) => this.load(w.name, w.version)));
  }

  private async fetch(name: string, version: number): Promise<PinnedPlaybook | null> {
    const snapshot = this.store === null ? null : await this.store.getPlaybookVersion(name, version);
    if (snapshot === null) {
      this.absent.add(key(name, version));
      return null;
    }
    const playbook = playbookFromDefinition(snapshot.definition, `stored:${name}@${version}`);
    const pinned = pin(playbook, TemplateRenderer.fromSources(snapshot.templates, this.rendererOptions));
    this.pinned.set(key(name, version), pinned);
    return pinned;
  }
}
