// Every playbook version that planned a touch point, with its templates, for both dialects.
// A version is stored the first time it is registered and never changed afterwards.
import type { PlaybookSnapshot, PlaybookVersionStore } from '../ports/playbookVersions.js';
import type { SqlHandle } from './db.js';
import type { PlaybookVersionsTable } from './tables.js';

function snapshotFromRow(r: PlaybookVersionsTable): PlaybookSnapshot {
  return {
    name: r.name,
    version: r.version,
    fingerprint: r.fingerprint,
    definition: r.definition,
    templates: JSON.parse(r.templates) as Record<string, string>,
    registeredAt: r.registered_at,
  };
}

export class SqlPlaybookVersions implements PlaybookVersionStore {
  constructor(private readonly sql: SqlHandle) {}

  async registerPlaybookVersion(snapshot: PlaybookSnapshot): Promise<PlaybookSnapshot> {
    await this.sql.db
      .insertInto('playbook_versions')
      .values({
        name: snapshot.name,
        version: snapshot.version,
        fingerprint: snapshot.fingerprint,
        definition: snapshot.definition,
        templates: JSON.stringify(snapshot.templates),
        registered_at: snapshot.registeredAt,
      })
      .onConflict((oc) => oc.columns(['name', 'version']).doNothing())
      .execute();
    return (await this.getPlaybookVersion(snapshot.name, snapshot.version)) ?? snapshot;
  }

  async getPlaybookVersion(name: string, version: number): Promise<PlaybookSnapshot | null> {
    const row = await this.sql.db
      .selectFrom('playbook_versions')
      .selectAll()
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? snapshotFromRow(row) : null;
  }

  async listPlaybookVersions(): Promise<Omit<PlaybookSnapshot, 'templates' | 'definition'>[]> {
    const rows = await this.sql.db
      .selectFrom('playbook_versions')
      .select(['name', 'version', 'fingerprint', 'registered_at'])
      .orderBy('name')
      .orderBy('version')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      version: r.version,
      fingerprint: r.fingerprint,
      registeredAt: r.registered_at,
    }));
  }
}
