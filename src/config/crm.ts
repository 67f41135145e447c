// Configuration of the CRM webhooks for deals: HubSpot's app secret, the URL HubSpot signs and
// which of its deal stages mean won or lost; Pipedrive's HTTP Basic credentials. config.ts merges
// these variables into its own; docs/configuration.md and docs/webhooks.md document them.
import type { z } from 'zod';
import { REDACTED, printAs } from './redact.js';
import type { Parsed } from './values.js';
import { variable } from './env.js';
import { basicAuthPair, parseBasicAuthUser, parseWebhookSecret } from './webhookCredentials.js';

export interface HubSpotConfig {
  /** The app's client secret: the key of every signature version. */
  clientSecret: string;
  /**
   * The target URL exactly as set in the HubSpot app (v2 and v3 sign it). Null: the public URL
   * followed by the path and query the request came to.
   */
  webhookUrl: string | null;
  /** Internal `dealstage` values that mean the deal is won, or lost; any other is open. */
  wonStages: readonly string[];
  lostStages: readonly string[];
}

export interface PipedriveConfig {
  /** The HTTP Basic credentials set on the Pipedrive webhook (`http_auth_user`, `http_auth_password`). */
  user: string;
  password: string;
}

export interface CrmConfig {
  /** Null: `/webhooks/hubspot` answers 404. */
  hubspot: HubSpotConfig | null;
  /** Null: `/webhooks/pipedrive` answers 404. */
  pipedrive: PipedriveConfig | null;
}

/** HubSpot's own stages of its default sales pipeline. */
export const HUBSPOT_DEFAULT_STAGES = { won: ['closedwon'], lost: ['closedlost'] } as const;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

function parseWebhookUrl(raw: string): Parsed<string> {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '')
    return problem(`"${raw}" is not an http(s) URL`);
  // As written: HubSpot signs the URL it calls, character for character.
  return ok(raw);
}

const STAGE = /^[A-Za-z0-9_.:-]{1,100}$/;

function parseStages(raw: string): Parsed<string[]> {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) return problem(`"${raw}" has an empty entry`);
  const bad = items.find((item) => !STAGE.test(item));
  if (bad !== undefined)
    return problem(
      `"${bad}" is not a deal stage id (letters, digits, "_", ".", ":" or "-"; HubSpot's internal value)`,
    );
  return ok([...new Set(items)]);
}

export const CRM_ENV = {
  AFTERCARE_HUBSPOT_CLIENT_SECRET: variable(parseWebhookSecret),
  AFTERCARE_HUBSPOT_WEBHOOK_URL: variable(parseWebhookUrl),
  AFTERCARE_HUBSPOT_WON_STAGES: variable(parseStages),
  AFTERCARE_HUBSPOT_LOST_STAGES: variable(parseStages),
  AFTERCARE_PIPEDRIVE_WEBHOOK_USER: variable(parseBasicAuthUser),
  AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD: variable(parseWebhookSecret),
};

type CrmEnv = { [K in keyof typeof CRM_ENV]: z.output<(typeof CRM_ENV)[K]> };

export interface CrmIssue {
  variable: string;
  problem: string;
}

export function loadCrm(values: Partial<CrmEnv>, issues: CrmIssue[]): CrmConfig {
  const secret = values.AFTERCARE_HUBSPOT_CLIENT_SECRET;
  const won = values.AFTERCARE_HUBSPOT_WON_STAGES ?? [...HUBSPOT_DEFAULT_STAGES.won];
  const lost = values.AFTERCARE_HUBSPOT_LOST_STAGES ?? [...HUBSPOT_DEFAULT_STAGES.lost];
  if (secret === undefined) {
    for (const name of [
      'AFTERCARE_HUBSPOT_WEBHOOK_URL',
      'AFTERCARE_HUBSPOT_WON_STAGES',
      'AFTERCARE_HUBSPOT_LOST_STAGES',
    ] as const) {
      if (values[name] !== undefined)
        issues.push({ variable: name, problem: 'is set but AFTERCARE_HUBSPOT_CLIENT_SECRET is not' });
    }
  }
  const both = won.filter((stage) => lost.includes(stage));
  if (both.length > 0)
    issues.push({
      variable: 'AFTERCARE_HUBSPOT_LOST_STAGES',
      problem: `names ${both.map((stage) => `"${stage}"`).join(', ')}, which AFTERCARE_HUBSPOT_WON_STAGES names too`,
    });
  const pipedrive = basicAuthPair(
    values.AFTERCARE_PIPEDRIVE_WEBHOOK_USER,
    values.AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD,
    {
      user: 'AFTERCARE_PIPEDRIVE_WEBHOOK_USER',
      password: 'AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD',
      what: 'Pipedrive webhook',
    },
    issues,
  );
  const config: CrmConfig = {
    hubspot:
      secret === undefined
        ? null
        : {
            clientSecret: secret,
            webhookUrl: values.AFTERCARE_HUBSPOT_WEBHOOK_URL ?? null,
            wonStages: won,
            lostStages: lost,
          },
    pipedrive,
  };
  return printAs(config, () => ({
    hubspot: config.hubspot && { ...config.hubspot, clientSecret: REDACTED },
    pipedrive: config.pipedrive && { user: config.pipedrive.user, password: REDACTED },
  }));
}
