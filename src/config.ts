// The configuration, read from the environment once at the edge: every variable validated (all
// problems reported together), defaults filled in, secrets hidden from printing, then frozen.
// docs/configuration.md documents each variable.
import { MAILING_LIST_ENV, mailingListConfig, type MailingListConfig } from './config/mailingList.js';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { DkimOptions } from './channels/email.js';
import type { BusinessInfo } from './core/business.js';
import { isValidZone } from './core/localTime.js';
import { DEFAULT_POLICY_CONFIG } from './core/policy/defaults.js';
import type { PolicyConfig } from './core/policy/types.js';
import { AftercareError } from './errors.js';
import { REDACTED, deepFreeze, printAs, redactUrl } from './config/redact.js';
import { HTTP_ENV, httpConfig, type HttpConfig } from './config/http.js';
import { DASHBOARD_ENV, dashboardConfig, type DashboardConfig } from './config/dashboard.js';
import { DISPATCH_ENV, dispatchConfig, type DispatchConfig } from './config/dispatch.js';
import { CURRENCY_ENV, loadCurrency } from './config/currency.js';
import { GIFTS_ENV, loadGifts } from './config/gifts.js';
import { OFFERS_ENV, loadOffers } from './config/offers.js';
import type { OfferCatalogue } from './core/offers/offer.js';
import { TIPS_ENV, loadTips } from './config/tips.js';
import { STORIES_ENV, loadStories, type StoryLibrary } from './config/stories.js';
import type { GiftCatalogue } from './core/gifts.js';
import type { CurrencyRates } from './core/money.js';
import { INBOX_ENV, inboxConfig, type InboxConfig } from './config/inbox.js';
import { INTEGRATION_ENV, loadIntegrations, type IntegrationsConfig } from './config/integrations.js';
import { REPLIES_ENV, loadReplies, type RepliesConfig } from './config/replies.js';
import { CRM_ENV, loadCrm, type CrmConfig } from './config/crm.js';
import { ESCALATION_ENV, loadEscalation, type EscalationConfig } from './config/escalation.js';
import { SECRETS_ENV, secretsConfig, type SecretsConfig } from './config/secrets.js';
import { MEASUREMENT_ENV, measurementSurveys } from './config/measurement.js';
import {
  formatMailbox,
  parseBusinessHours,
  parseDurationValue,
  parseEmail,
  parseFrequencyCap,
  parseHttpUrl,
  parseMailbox,
  parsePhone,
  parseShare,
  parseTimeRange,
  type Parsed,
} from './config/values.js';
import { text, variable } from './config/env.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** SQLite file path (or ':memory:'), or a postgres:// URL. */
  db: string;
  dataDir: string;
  /** Where .eml files go when no SMTP server is configured: `<dataDir>/outbox`. */
  outboxDir: string;
  smtpUrl: string | null;
  /** The From header: `"Name" <address>` or a bare address. */
  emailFrom: string;
  dkim: DkimOptions | null;
  /** Base of every link in messages, without a trailing slash. */
  publicUrl: string;
  policy: PolicyConfig;
  holdoutShare: number;
  holdoutSalt: string;
  /**
   * How old a day's stored count a report may show for a day changed since (0: none, every
   * changed day is counted afresh). AFTERCARE_REPORT_MAX_LAG; docs/measuring.md "Speed".
   */
  reportMaxLagMs: number;
  /** Playbook files or built-in names, in order. */
  playbooks: string[];
  /** The interaction catalogue of gap analysis (docs/gaps.md); null: the built-in one. */
  interactionsFile?: string | null;
  workerId: string;
  logLevel: LogLevel;
  business: BusinessInfo;
  /** The HTTP server of `aftercare serve`: address, body limit, rate limits (src/config/http.ts). */
  http: HttpConfig;
  /** The dashboard's sessions and sign-in limits (src/config/dashboard.ts). */
  dashboard: DashboardConfig;
  /** The webhook inbox drain: batch size and longest wait (src/config/inbox.ts). */
  inbox: InboxConfig;
  /** The dispatcher of serve and worker: unrecorded sends at most (src/config/dispatch.ts). */
  dispatch: DispatchConfig;
  /** Inbound webhook secrets, outbound webhook endpoints, SMS (src/config/integrations.ts). */
  integrations: IntegrationsConfig;
  /** Inbound replies: the SMTP listener and the providers' inbound webhooks (src/config/replies.ts). */
  replies: RepliesConfig;
  /** CRM webhooks for deals: HubSpot and Pipedrive (src/config/crm.ts). */
  crm: CrmConfig;
  /** The escalation ladder and the secret its webhooks are signed with (src/config/escalation.ts). */
  escalation: EscalationConfig;
  /** The link secret and older ones still accepted (src/config/secrets.ts). */
  secrets: SecretsConfig;
  /** What gift tasks suggest, by order value tier (src/config/gifts.ts, AFTERCARE_GIFTS_FILE). */
  gifts: GiftCatalogue;
  /** Insider offers (src/config/offers.ts, AFTERCARE_OFFERS_FILE); null: none. */
  offers: OfferCatalogue | null;
  /** The news digest's cadence (src/config/mailingList.ts). */
  mailingList: MailingListConfig;
  /** The customer stories story steps tell (src/config/stories.ts, AFTERCARE_STORIES_DIR); none when unset. */
  stories: StoryLibrary;
}

/** Demo defaults: enough to run `aftercare serve --demo` and `simulate` with nothing set. */
export const DEFAULTS = {
  dataDir: './data',
  publicUrl: 'http://localhost:8080',
  timezone: 'UTC',
  quietHours: '20:00-09:00',
  businessHours: 'Mon-Fri 09:00-17:00',
  frequencyCap: '3/7d',
  offerDelay: '21d',
  surveyInterval: '14d',
  sameStepWindow: '24h',
  reportMaxLag: '0m',
  holdout: 0.1,
  holdoutSalt: 'aftercare',
  playbooks: ['reassure'],
  logLevel: 'info',
  businessName: 'Aftercare Demo Shop',
  supportEmail: 'support@example.com',
  escalationName: 'Alex Morgan',
  escalationEmail: 'alex.morgan@example.com',
  postalAddress: '1 Example Street, Springfield',
} as const;

const plain = (raw: string): Parsed<string> => ({ ok: true, value: raw });

function oneOf<T extends string>(choices: readonly T[]) {
  return (raw: string): Parsed<T> => {
    const found = choices.find((choice) => choice === raw.toLowerCase());
    return found
      ? { ok: true, value: found }
      : { ok: false, problem: `"${raw}" is not one of ${choices.join(', ')}` };
  };
}

// Secret-bearing values: the problem text never repeats the value.
function parseDb(raw: string): Parsed<string> {
  if (!/^postgres(ql)?:/i.test(raw)) return { ok: true, value: raw };
  const url = URL.canParse(raw) ? new URL(raw) : null;
  return url && url.hostname !== ''
    ? { ok: true, value: raw }
    : { ok: false, problem: 'is not a postgres:// URL with a host' };
}

function parseSmtpUrl(raw: string): Parsed<string> {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    return { ok: false, problem: 'is not an smtp:// or smtps:// URL with a host' };
  }
  return { ok: true, value: raw };
}

function parseZone(raw: string): Parsed<string> {
  return isValidZone(raw)
    ? { ok: true, value: raw }
    : { ok: false, problem: `"${raw}" is not an IANA time zone like Europe/Berlin` };
}

function parsePlaybooks(raw: string): Parsed<string[]> {
  const names = raw.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) return { ok: false, problem: `"${raw}" has an empty entry` };
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) return { ok: false, problem: `lists "${twice}" twice` };
  return { ok: true, value: names };
}

function parseWorkerId(raw: string): Parsed<string> {
  return /^\S{1,128}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, problem: `"${raw}" must be 1-128 characters without spaces` };
}

function parseDomain(raw: string): Parsed<string> {
  const ok = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(raw);
  return ok
    ? { ok: true, value: raw.toLowerCase() }
    : { ok: false, problem: `"${raw}" is not a domain name like example.com` };
}

function parseSelector(raw: string): Parsed<string> {
  const ok = /^[a-z0-9]([a-z0-9._-]{0,62})$/i.test(raw);
  return ok
    ? { ok: true, value: raw }
    : { ok: false, problem: `"${raw}" is not a DKIM selector like mail2026` };
}

const ENV = z.object({
  AFTERCARE_DB: variable(parseDb),
  AFTERCARE_DATA_DIR: variable(plain),
  SMTP_URL: variable(parseSmtpUrl),
  AFTERCARE_EMAIL_FROM: variable(parseMailbox),
  AFTERCARE_DKIM_DOMAIN: variable(parseDomain),
  AFTERCARE_DKIM_SELECTOR: variable(parseSelector),
  AFTERCARE_DKIM_PRIVATE_KEY: text,
  AFTERCARE_DKIM_PRIVATE_KEY_FILE: text,
  AFTERCARE_PUBLIC_URL: variable(parseHttpUrl),
  AFTERCARE_TIMEZONE: variable(parseZone),
  AFTERCARE_QUIET_HOURS: variable(parseTimeRange),
  AFTERCARE_BUSINESS_HOURS: variable(parseBusinessHours),
  AFTERCARE_FREQUENCY_CAP: variable(parseFrequencyCap),
  AFTERCARE_OFFER_DELAY: variable(parseDurationValue),
  AFTERCARE_SURVEY_INTERVAL: variable(parseDurationValue),
  AFTERCARE_SAME_STEP_WINDOW: variable(parseDurationValue),
  AFTERCARE_REPORT_MAX_LAG: variable(parseDurationValue),
  AFTERCARE_HOLDOUT: variable(parseShare),
  AFTERCARE_HOLDOUT_SALT: variable(plain),
  AFTERCARE_PLAYBOOKS: variable(parsePlaybooks),
  AFTERCARE_INTERACTIONS_FILE: text,
  AFTERCARE_WORKER_ID: variable(parseWorkerId),
  AFTERCARE_LOG_LEVEL: variable(oneOf(LOG_LEVELS)),
  AFTERCARE_BUSINESS_NAME: variable(plain),
  AFTERCARE_BUSINESS_WEBSITE: variable(parseHttpUrl),
  AFTERCARE_SUPPORT_EMAIL: variable(parseEmail),
  AFTERCARE_SUPPORT_PHONE: variable(parsePhone),
  AFTERCARE_ESCALATION_NAME: variable(plain),
  AFTERCARE_ESCALATION_EMAIL: variable(parseEmail),
  AFTERCARE_POSTAL_ADDRESS: variable(plain),
  ...HTTP_ENV,
  ...DASHBOARD_ENV,
  ...INBOX_ENV,
  ...DISPATCH_ENV,
  ...CURRENCY_ENV,
  ...INTEGRATION_ENV,
  ...REPLIES_ENV,
  ...CRM_ENV,
  ...ESCALATION_ENV,
  ...SECRETS_ENV,
  ...MAILING_LIST_ENV,
  ...GIFTS_ENV,
  ...OFFERS_ENV,
  ...TIPS_ENV,
  ...STORIES_ENV,
  ...MEASUREMENT_ENV,
});

/** Every environment variable Aftercare reads. */
export const ENV_VARIABLES = Object.keys(ENV.shape) as (keyof typeof ENV.shape)[];

type Env = z.output<typeof ENV>;

export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** Reads, validates and freezes the configuration. Throws AFTERCARE_E_CONFIG listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const issues: ConfigIssue[] = [];
  const parsed = ENV.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ variable: String(issue.path[0] ?? 'environment'), problem: issue.message });
    }
  }
  // Fields that failed are left at their defaults below only to find the cross-field problems
  // too; the config is never returned when there is any issue.
  const values: Partial<Env> = parsed.success ? parsed.data : {};
  const dkim = loadDkim(env, values, issues);
  const currency = loadCurrency(values, issues);
  const integrations = loadIntegrations(values, issues);
  const replies = loadReplies(values, issues);
  const crm = loadCrm(values, issues);
  const escalation = loadEscalation(env, values, escalationContext(values, integrations), issues);
  // From env itself too: the catalogue's problems are reported even when another variable failed.
  const gifts = loadGifts(
    { AFTERCARE_GIFTS_FILE: values.AFTERCARE_GIFTS_FILE ?? (env.AFTERCARE_GIFTS_FILE?.trim() || undefined) },
    currency.base,
    issues,
  );
  const offers = loadOffers(
    {
      AFTERCARE_OFFERS_FILE: values.AFTERCARE_OFFERS_FILE ?? (env.AFTERCARE_OFFERS_FILE?.trim() || undefined),
    },
    issues,
  );
  const tips = loadTips(
    { AFTERCARE_TIPS_DIR: values.AFTERCARE_TIPS_DIR ?? (env.AFTERCARE_TIPS_DIR?.trim() || undefined) },
    issues,
  );

  const stories = loadStories(
    {
      AFTERCARE_STORIES_DIR: values.AFTERCARE_STORIES_DIR ?? (env.AFTERCARE_STORIES_DIR?.trim() || undefined),
    },
    issues,
  );
  if (issues.length > 0 || gifts === null || tips === null || stories === null) {
    const list = issues.map((issue) => `  ${issue.variable}: ${issue.problem}`).join('\n');
    throw new AftercareError('AFTERCARE_E_CONFIG', `Invalid configuration:\n${list}`, { issues });
  }
  const assembled = assemble(values, dkim, integrations, escalation, currency);
  return deepFreeze(
    redactable({ ...assembled, policy: { ...assembled.policy, tips }, replies, crm, gifts, offers, stories }),
  );
}

/** What the ladder takes from the rest: who the built-in ladder notifies, the business's hours. */
function escalationContext(values: Partial<Env>, integrations: IntegrationsConfig) {
  return {
    escalationEmail: values.AFTERCARE_ESCALATION_EMAIL ?? DEFAULTS.escalationEmail,
    workingHours: {
      zone: values.AFTERCARE_TIMEZONE ?? DEFAULTS.timezone,
      hours: values.AFTERCARE_BUSINESS_HOURS ?? must(parseBusinessHours(DEFAULTS.businessHours)),
    },
    allow: integrations.webhookAllow,
    outboundSecret: integrations.webhook?.endpoints[0]?.secret ?? null,
  };
}

function assemble(
  values: Partial<Env>,
  dkim: DkimOptions | null,
  integrations: IntegrationsConfig,
  escalation: EscalationConfig,
  currency: CurrencyRates,
): Omit<Config, 'replies' | 'crm' | 'gifts' | 'offers' | 'stories'> {
  const dataDir = values.AFTERCARE_DATA_DIR ?? DEFAULTS.dataDir;
  // '/srv/care/' and '/srv/care' name one folder; '/' stays the root ('' + '/outbox').
  const base = dataDir.replace(/[\\/]+$/, '');
  const supportEmail = values.AFTERCARE_SUPPORT_EMAIL ?? DEFAULTS.supportEmail;
  const businessName = values.AFTERCARE_BUSINESS_NAME ?? DEFAULTS.businessName;
  // Replies to the default sender land with support, under the business's own name.
  const from = values.AFTERCARE_EMAIL_FROM ?? {
    header: formatMailbox(businessName, supportEmail),
    address: supportEmail,
  };
  const businessHours = values.AFTERCARE_BUSINESS_HOURS ?? must(parseBusinessHours(DEFAULTS.businessHours));
  return {
    db: values.AFTERCARE_DB ?? `${base}/aftercare.db`,
    dataDir,
    outboxDir: `${base}/outbox`,
    smtpUrl: values.SMTP_URL ?? null,
    emailFrom: from.header,
    dkim,
    publicUrl: values.AFTERCARE_PUBLIC_URL ?? DEFAULTS.publicUrl,
    policy: {
      defaultTimezone: values.AFTERCARE_TIMEZONE ?? DEFAULTS.timezone,
      currency,
      quietHours: values.AFTERCARE_QUIET_HOURS ?? must(parseTimeRange(DEFAULTS.quietHours)),
      businessHours,
      frequencyCap: values.AFTERCARE_FREQUENCY_CAP ?? must(parseFrequencyCap(DEFAULTS.frequencyCap)),
      offerDelayAfterDeliveryMs:
        values.AFTERCARE_OFFER_DELAY ?? must(parseDurationValue(DEFAULTS.offerDelay)),
      maxLatenessMs: DEFAULT_POLICY_CONFIG.maxLatenessMs,
      surveyIntervalMs: values.AFTERCARE_SURVEY_INTERVAL ?? must(parseDurationValue(DEFAULTS.surveyInterval)),
      sameStepWindowMs:
        values.AFTERCARE_SAME_STEP_WINDOW ?? must(parseDurationValue(DEFAULTS.sameStepWindow)),
      awaitingPersonRecheckMs: DEFAULT_POLICY_CONFIG.awaitingPersonRecheckMs,
      measurementSurveys: measurementSurveys(values),
    },
    holdoutShare: values.AFTERCARE_HOLDOUT ?? DEFAULTS.holdout,
    holdoutSalt: values.AFTERCARE_HOLDOUT_SALT ?? DEFAULTS.holdoutSalt,
    reportMaxLagMs: values.AFTERCARE_REPORT_MAX_LAG ?? must(parseDurationValue(DEFAULTS.reportMaxLag)),
    playbooks: values.AFTERCARE_PLAYBOOKS ?? [...DEFAULTS.playbooks],
    interactionsFile: values.AFTERCARE_INTERACTIONS_FILE ?? null,
    workerId: values.AFTERCARE_WORKER_ID ?? `${hostname()}:${process.pid}`,
    logLevel: values.AFTERCARE_LOG_LEVEL ?? DEFAULTS.logLevel,
    business: {
      name: businessName,
      website: values.AFTERCARE_BUSINESS_WEBSITE ?? null,
      supportEmail,
      supportPhone: values.AFTERCARE_SUPPORT_PHONE ?? null,
      escalationName: values.AFTERCARE_ESCALATION_NAME ?? DEFAULTS.escalationName,
      escalationEmail: values.AFTERCARE_ESCALATION_EMAIL ?? DEFAULTS.escalationEmail,
      postalAddress: values.AFTERCARE_POSTAL_ADDRESS ?? DEFAULTS.postalAddress,
      fromEmail: from.address,
    },
    http: httpConfig(values),
    dashboard: dashboardConfig(values),
    inbox: inboxConfig(values),
    dispatch: dispatchConfig(values),
    integrations,
    escalation,
    secrets: secretsConfig(values),
    mailingList: mailingListConfig(values),
  };
}

/** DKIM is all or nothing: a domain, a selector and one key (inline or from a file). */
function loadDkim(
  env: Record<string, string | undefined>,
  values: Partial<Env>,
  issues: ConfigIssue[],
): DkimOptions | null {
  const set = (name: string): boolean => (env[name]?.trim() ?? '') !== '';
  const inline = set('AFTERCARE_DKIM_PRIVATE_KEY');
  const file = set('AFTERCARE_DKIM_PRIVATE_KEY_FILE');
  const domainSet = set('AFTERCARE_DKIM_DOMAIN');
  const selectorSet = set('AFTERCARE_DKIM_SELECTOR');
  if (!inline && !file && !domainSet && !selectorSet) return null;
  if (inline && file) {
    issues.push({
      variable: 'AFTERCARE_DKIM_PRIVATE_KEY_FILE',
      problem: 'set together with AFTERCARE_DKIM_PRIVATE_KEY; use one',
    });
  }
  const missing = [
    domainSet ? null : 'AFTERCARE_DKIM_DOMAIN',
    selectorSet ? null : 'AFTERCARE_DKIM_SELECTOR',
    inline || file ? null : 'AFTERCARE_DKIM_PRIVATE_KEY',
  ].filter((name): name is string => name !== null);
  for (const name of missing)
    issues.push({ variable: name, problem: 'is required once any AFTERCARE_DKIM_* variable is set' });
  const rawKey = inline ? (env.AFTERCARE_DKIM_PRIVATE_KEY ?? '') : file ? readKeyFile(env, issues) : null;
  const privateKey = rawKey === null ? null : unfoldPem(rawKey);
  if (privateKey !== null && !isPrivateKey(privateKey)) {
    // Named, never quoted: the value is the secret.
    const variable = inline ? 'AFTERCARE_DKIM_PRIVATE_KEY' : 'AFTERCARE_DKIM_PRIVATE_KEY_FILE';
    issues.push({ variable, problem: 'does not hold a PEM private key' });
  }
  const domainName = values.AFTERCARE_DKIM_DOMAIN;
  const keySelector = values.AFTERCARE_DKIM_SELECTOR;
  if (!domainName || !keySelector || privateKey === null) return null;
  return { domainName, keySelector, privateKey };
}

function readKeyFile(env: Record<string, string | undefined>, issues: ConfigIssue[]): string | null {
  const path = env.AFTERCARE_DKIM_PRIVATE_KEY_FILE?.trim() ?? '';
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    issues.push({ variable: 'AFTERCARE_DKIM_PRIVATE_KEY_FILE', problem: `cannot read "${path}" (${code})` });
    return null;
  }
}

/** Env files often carry a key on one line with literal "\n"s; turn those into line breaks. */
function unfoldPem(pem: string): string {
  return pem.includes('\\n') && !pem.includes('\n') ? pem.replace(/\\n/g, '\n') : pem;
}

function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

/** The config prints with the SMTP password, the database password, the DKIM key and the link secrets hidden. */
function redactable(config: Config): Config {
  if (config.dkim) {
    const { domainName, keySelector } = config.dkim;
    printAs(config.dkim, () => ({ domainName, keySelector, privateKey: REDACTED }));
  }
  return printAs(config, () => ({
    ...config,
    db: redactUrl(config.db),
    smtpUrl: config.smtpUrl === null ? null : redactUrl(config.smtpUrl),
    dkim: config.dkim ? { ...config.dkim, privateKey: REDACTED } : null,
    secrets: {
      current: config.secrets.current === null ? null : REDACTED,
      previous: config.secrets.previous.map(() => REDACTED),
      linkLifetimes: config.secrets.linkLifetimes,
    },
  }));
}

function must<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`a built-in default does not parse: ${parsed.problem}`);
  return parsed.value;
}
