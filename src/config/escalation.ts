// Configuration of the escalation ladder: the built-in ladder, or the YAML file named by
// AFTERCARE_ESCALATION_FILE (read and checked here, once, every problem with its line and field),
// and the secret escalation webhooks are signed with. config.ts merges these variables into its
// own; docs/configuration.md documents them.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Ladder } from '../core/listening/ladder.js';
import { defaultLadder, parseLadder, type LadderContext } from '../core/listening/ladderFile.js';
import { formatIssue } from '../core/playbook/parse.js';
import { standardKey } from '../integrations/standard/signature.js';
import { REDACTED, printAs } from './redact.js';
import type { Parsed } from './values.js';
import { text, variable } from './env.js';

export interface EscalationConfig {
  ladder: Ladder;
  /**
   * `whsec_<base64>`: signs escalation webhooks (Standard Webhooks). Defaults to the first
   * AFTERCARE_WEBHOOK_SECRET; null: sent unsigned (chat incoming webhooks do not check).
   */
  webhookSecret: string | null;
}

function parseSecret(raw: string): Parsed<string> {
  const key = raw.startsWith('whsec_') ? standardKey(raw) : null;
  return key !== null && key.length >= 24 && key.length <= 64
    ? { ok: true, value: raw }
    : { ok: false, problem: "is not a Standard Webhooks secret: 'whsec_' and 24 to 64 bytes in base64" };
}

export const ESCALATION_ENV = {
  AFTERCARE_ESCALATION_FILE: text,
  AFTERCARE_ESCALATION_WEBHOOK_SECRET: variable(parseSecret),
};

type EscalationEnv = { [K in keyof typeof ESCALATION_ENV]: z.output<(typeof ESCALATION_ENV)[K]> };

export interface EscalationIssue {
  variable: string;
  problem: string;
}

const FILE = 'AFTERCARE_ESCALATION_FILE';

/**
 * The ladder (from the file, or built in) and the webhook secret. `allow` is
 * AFTERCARE_WEBHOOK_ALLOW: a plain-http webhook in the ladder must be named there.
 */
export function loadEscalation(
  env: Record<string, string | undefined>,
  values: Partial<EscalationEnv>,
  context: LadderContext & { allow: readonly string[]; outboundSecret: string | null },
  issues: EscalationIssue[],
): EscalationConfig {
  // Read from the raw environment: its problems are reported even when another variable failed
  // (plain text cannot fail on its own, so nothing is lost).
  const path = env[FILE]?.trim();
  const ladder = readLadder(path === '' ? undefined : path, context, issues);
  const config: EscalationConfig = {
    ladder,
    webhookSecret: values.AFTERCARE_ESCALATION_WEBHOOK_SECRET ?? context.outboundSecret,
  };
  return printAs(config, () => ({
    ladder: { ...ladder, levels: ladder.levels.map((l) => ({ name: l.name, notify: l.notify.length })) },
    webhookSecret: config.webhookSecret === null ? null : REDACTED,
  }));
}

function readLadder(
  path: string | undefined,
  context: LadderContext & { allow: readonly string[] },
  issues: EscalationIssue[],
): Ladder {
  const fallback = defaultLadder(context);
  if (path === undefined) return fallback;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    issues.push({ variable: FILE, problem: `cannot read "${path}" (${code})` });
    return fallback;
  }
  const result = parseLadder(text, path, context);
  if (!result.ok) {
    for (const issue of result.issues) issues.push({ variable: FILE, problem: formatIssue(issue) });
    return fallback;
  }
  for (const [index, level] of result.ladder.levels.entries()) {
    for (const target of level.notify) {
      if (target.kind !== 'webhook' || !target.url.startsWith('http:')) continue;
      const host = new URL(target.url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
      if (!context.allow.includes(host)) {
        issues.push({
          variable: FILE,
          problem: `${path}: levels[${index}] sends a webhook to ${host} over plain http; only https is sent to, unless AFTERCARE_WEBHOOK_ALLOW names ${host}`,
        });
      }
    }
  }
  return result.ladder;
}
