// Every playbook version that planned a touch point, with its templates, in memory. A version is
// kept the first time it is registered and never changed afterwards.
import type { PlaybookSnapshot, PlaybookVersionStore } from '../ports/playbookVersions.js';
import { compareText } from '../records/storable.js';
import { settle } from './settle.js';
import type { MemoryTables } from './tables.js';

function ownedSnapshot(s: PlaybookSnapshot): PlaybookSnapshot {
  return Object.freeze({
    name: s.name,
    version: s.version,
    fingerprint: s.fingerprint,
    definition: s.definition,
    templates: Object.freeze({ ...s.templates }),
    registeredAt: s.registeredAt,
  });
}

export class MemoryPlaybookVersions implements PlaybookVersionStore {
  constructor(private readonly tables: MemoryTables) {}

  registerPlaybookVersion(snapshot: PlaybookSnapshot): Promise<PlaybookSnapshot> {
    return settle(() => {
      let versions = this.tables.playbookVersions.get(snapshot.name);
      if (versions === undefined) {
        versions = new Map();
        this.tables.playbookVersions.set(snapshot.name, versions);
      }
      const stored = versions.get(snapshot.version);
      if (stored !== undefined) return stored;
      const owned = ownedSnapshot(snapshot);
      versions.set(snapshot.version, owned);
      return owned;
    });
  }

  getPlaybookVersion(name: string, version: number): Promise<PlaybookSnapshot | null> {
    return settle(() => this.tables.playbookVersions.get(name)?.get(version) ?? null);
  }

  listPlaybookVersions(): Promise<Omit<PlaybookSnapshot, 'templates' | 'definition'>[]> {
    return settle(() => {
      const out: Omit<PlaybookSnapshot, 'templates' | 'definition'>[] = [];
      for (const versions of this.tables.playbookVersions.values()) {
        for (const s of versions.values()) {
          out.push({
            name: s.name,
            version: s.version,
            fingerprint: s.fingerprint,
            registeredAt: s.registeredAt,
          });
        }
      }
      return out.sort((a, b) => compareText(a.name, b.name) || a.version - b.version);
    });
  }
}
