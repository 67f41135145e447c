// The playbook versions capability: every playbook version that planned a touch point is kept,
// with the templates it rendered with, so a touch point planned under v1 is sent with v1's step
// and words even after v2 is deployed (engine/playbookRegistry.ts).
import type { Millis } from '../../core/domain.js';

export interface PlaybookSnapshot {
  name: string;
  version: number;
  /** SHA-256 of `definition` and `templates`: the same version must always mean the same content. */
  fingerprint: string;
  /** The playbook as parsed, JSON (see core/playbook/snapshot.ts). */
  definition: string;
  /** Template name -> full source text with partials inlined, for every template its steps use. */
  templates: Record<string, string>;
  registeredAt: Millis;
}

export interface PlaybookVersionStore {
  /**
   * Keep `snapshot` if its name and version are new; resolves to what is stored for that name and
   * version (the caller compares fingerprints: a different one means the content changed without
   * a new version number).
   */
  registerPlaybookVersion(snapshot: PlaybookSnapshot): Promise<PlaybookSnapshot>;
  getPlaybookVersion(name: string, version: number): Promise<PlaybookSnapshot | null>;
  /** Every stored version, by name then version (templates left out). */
  listPlaybookVersions(): Promise<Omit<PlaybookSnapshot, 'templates' | 'definition'>[]>;
}
