// A team's audit of the interaction catalogue: for each interaction, how important it is to
// customers and how well we do it (both 1-5), with a note. Read from CSV (auditCsv.ts), kept per
// team (a re-import replaces the team's audit), fed to gap analysis (ipa.ts) and compared between
// teams (agreement.ts).

/** One team's scores for one interaction. */
export interface AuditScore {
  team: string;
  interaction: string;
  /** 1 (does not matter) to 5 (matters most). */
  importance: number;
  /** 1 (poor) to 5 (excellent). */
  performance: number;
  note: string | null;
}

export const AUDIT_SCALE = { min: 1, max: 5 } as const;

/** A team name: what people call the team, short enough for a table column. */
export const TEAM_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@/-]{0,99}$/u;

export function isTeamName(name: string): boolean {
  return TEAM_NAME.test(name);
}
