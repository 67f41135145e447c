// Configuration of the integrations: the secrets inbound webhooks are signed with, the outbound
// webhook endpoints and their destination allow-list, and the SMS provider. config.ts merges
// these variables into its own; docs/configuration.md documents them.
import ipaddr from 'ipaddr.js';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { z } from 'zod';
import { standardKey } from '../integrations/standard/signature.js';
import { REDACTED, printAs } from './redact.js';
import type { Parsed } from './values.js';
import { text, variable } from './env.js';

export interface InboundSecrets {
  shopify: string | null;
  stripe: string | null;
  tracking: string | null;
  standard: string | null;
}

export interface WebhookEndpoint {
  url: string;
  /** `whsec_<base64>`: the Standard Webhooks signing secret of this endpoint. */
  secret: string;
}

export interface OutboundWebhookConfig {
  endpoints: WebhookEndpoint[];
}

export interface SmsConfig {
  /** Base of a Twilio-compatible API, without a trailing slash. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** E.164 sender number, or a messaging service SID (MG...). */
  from: string;
  /** ISO 3166 country for numbers written without a country code; null: those are refused. */
  defaultCountry: string | null;
}

export interface IntegrationsConfig {
  inbound: InboundSecrets;
  webhook: OutboundWebhookConfig | null;
  /** Hosts and CIDR ranges outbound webhooks may reach although they are not public (operator's call). */
  webhookAllow: string[];
  sms: SmsConfig | null;
}

export const DEFAULT_SMS_URL = 'https://api.twilio.com';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

// Secrets: a problem never repeats the value.
function parseSecret(raw: string): Parsed<string> {
  return raw.length >= 8 ? ok(raw) : problem('is too short to be a webhook secret');
}

function parseStripeSecret(raw: string): Parsed<string> {
  return /^whsec_\S+$/.test(raw)
    ? ok(raw)
    : problem("is not a Stripe endpoint signing secret (they start with 'whsec_')");
}

function parseStandardSecret(raw: string): Parsed<string> {
  const key = raw.startsWith('whsec_') ? standardKey(raw) : null;
  return key !== null && key.length >= 24 && key.length <= 64
    ? ok(raw)
    : problem("is not a Standard Webhooks secret: 'whsec_' and 24 to 64 bytes in base64");
}

function commaList(raw: string): string[] | null {
  const items = raw.split(',').map((item) => item.trim());
  return items.some((item) => item === '') ? null : items;
}

function parseUrls(raw: string): Parsed<string[]> {
  const items = commaList(raw);
  if (items === null) return problem(`"${raw}" has an empty entry`);
  for (const item of items) {
    const url = URL.canParse(item) ? new URL(item) : null;
    // Named by position and host only: a webhook URL's path may carry a token.
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '')
      return problem(`entry ${items.indexOf(item) + 1} is not an https:// URL`);
    if (url.username !== '' || url.password !== '')
      return problem(`"${url.host}": credentials in the URL are not sent; the signature authenticates`);
  }
  return ok(items);
}

function parseStandardSecrets(raw: string): Parsed<string[]> {
  const items = commaList(raw);
  if (items === null) return problem('has an empty entry');
  for (const [index, item] of items.entries()) {
    if (!parseStandardSecret(item).ok)
      return problem(
        `entry ${index + 1} is not a Standard Webhooks secret ('whsec_' and 24 to 64 bytes in base64)`,
      );
  }
  return ok(items);
}

/** Hosts (names or IP addresses) and CIDR ranges, lower-cased. */
function parseAllow(raw: string): Parsed<string[]> {
  const items = commaList(raw);
  if (items === null) return problem(`"${raw}" has an empty entry`);
  for (const item of items) {
    const cidr = item.includes('/');
    const valid = cidr
      ? ipaddr.isValidCIDR(item)
      : ipaddr.isValid(item) ||
        /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(
          item,
        );
    if (!valid)
      return problem(`"${item}" is neither a host name, an IP address nor a CIDR range like 10.0.0.0/8`);
  }
  return ok(items.map((item) => item.toLowerCase()));
}

function parseBaseUrl(raw: string): Parsed<string> {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '')
    return problem(`"${raw}" is not an http(s) URL`);
  return ok(url.href.replace(/\/+$/, ''));
}

function parseSid(raw: string): Parsed<string> {
  return /^[A-Za-z0-9_-]{2,64}$/.test(raw) ? ok(raw) : problem(`"${raw}" is not an account SID like AC...`);
}

function parseSender(raw: string): Parsed<string> {
  if (/^MG[0-9a-f]{32}$/i.test(raw)) return ok(raw);
  const phone = parsePhoneNumberFromString(raw);
  return phone?.isValid()
    ? ok(phone.number)
    : problem(`"${raw}" is neither a phone number with its country code (+1...) nor a messaging service SID`);
}

function parseCountry(raw: string): Parsed<string> {
  const code = raw.toUpperCase();
  return isSupportedCountry(code)
    ? ok(code)
    : problem(`"${raw}" is not a two-letter country code like US or DE`);
}

export const INTEGRATION_ENV = {
  SHOPIFY_WEBHOOK_SECRET: variable(parseSecret),
  STRIPE_WEBHOOK_SECRET: variable(parseStripeSecret),
  TRACKING_WEBHOOK_SECRET: variable(parseSecret),
  STANDARD_WEBHOOK_SECRET: variable(parseStandardSecret),
  AFTERCARE_WEBHOOK_URL: variable(parseUrls),
  AFTERCARE_WEBHOOK_SECRET: variable(parseStandardSecrets),
  AFTERCARE_WEBHOOK_ALLOW: variable(parseAllow),
  AFTERCARE_SMS_URL: variable(parseBaseUrl),
  AFTERCARE_SMS_ACCOUNT_SID: variable(parseSid),
  AFTERCARE_SMS_AUTH_TOKEN: text,
  AFTERCARE_SMS_FROM: variable(parseSender),
  AFTERCARE_SMS_DEFAULT_COUNTRY: variable(parseCountry),
};

type IntegrationEnv = { [K in keyof typeof INTEGRATION_ENV]: z.output<(typeof INTEGRATION_ENV)[K]> };

export interface IntegrationIssue {
  variable: string;
  problem: string;
}

/** The integrations part of the config, with the cross-variable rules checked into `issues`. */
export function loadIntegrations(
  values: Partial<IntegrationEnv>,
  issues: IntegrationIssue[],
): IntegrationsConfig {
  const allow = values.AFTERCARE_WEBHOOK_ALLOW ?? [];
  const config: IntegrationsConfig = {
    inbound: {
      shopify: values.SHOPIFY_WEBHOOK_SECRET ?? null,
      stripe: values.STRIPE_WEBHOOK_SECRET ?? null,
      tracking: values.TRACKING_WEBHOOK_SECRET ?? null,
      standard: values.STANDARD_WEBHOOK_SECRET ?? null,
    },
    webhook: loadWebhook(values, allow, issues),
    webhookAllow: allow,
    sms: loadSms(values, issues),
  };
  return printAs(config, () => ({
    inbound: {
      shopify: hidden(config.inbound.shopify),
      stripe: hidden(config.inbound.stripe),
      tracking: hidden(config.inbound.tracking),
      standard: hidden(config.inbound.standard),
    },
    webhook: config.webhook && {
      endpoints: config.webhook.endpoints.map((endpoint) => ({
        url: printableUrl(endpoint.url),
        secret: REDACTED,
      })),
    },
    webhookAllow: config.webhookAllow,
    sms: config.sms && { ...config.sms, authToken: REDACTED },
  }));
}

const hidden = (secret: string | null): string | null => (secret === null ? null : REDACTED);

/** Scheme and host only: the path and query of a webhook URL may carry a token. */
export function printableUrl(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname === '/' && parsed.search === '' ? parsed.origin : `${parsed.origin}/${REDACTED}`;
}

function loadWebhook(
  values: Partial<IntegrationEnv>,
  allow: string[],
  issues: IntegrationIssue[],
): OutboundWebhookConfig | null {
  const urls = values.AFTERCARE_WEBHOOK_URL;
  const secrets = values.AFTERCARE_WEBHOOK_SECRET;
  if (urls === undefined && secrets === undefined) return null;
  if (urls === undefined) {
    issues.push({
      variable: 'AFTERCARE_WEBHOOK_URL',
      problem: 'is required once AFTERCARE_WEBHOOK_SECRET is set',
    });
    return null;
  }
  if (secrets === undefined) {
    issues.push({
      variable: 'AFTERCARE_WEBHOOK_SECRET',
      problem: 'is required once AFTERCARE_WEBHOOK_URL is set',
    });
    return null;
  }
  if (secrets.length !== 1 && secrets.length !== urls.length) {
    issues.push({
      variable: 'AFTERCARE_WEBHOOK_SECRET',
      problem: `lists ${secrets.length} secrets for ${urls.length} URLs; give one for all or one per URL`,
    });
    return null;
  }
  for (const url of urls) {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (url.startsWith('http:') && !allow.includes(host)) {
      issues.push({
        variable: 'AFTERCARE_WEBHOOK_URL',
        problem: `the URL for ${host} is plain http; only https is sent to, unless AFTERCARE_WEBHOOK_ALLOW names ${host}`,
      });
    }
  }
  return {
    endpoints: urls.map((url, index) => ({ url, secret: secrets[secrets.length === 1 ? 0 : index] ?? '' })),
  };
}

function loadSms(values: Partial<IntegrationEnv>, issues: IntegrationIssue[]): SmsConfig | null {
  const sid = values.AFTERCARE_SMS_ACCOUNT_SID;
  const token = values.AFTERCARE_SMS_AUTH_TOKEN;
  const from = values.AFTERCARE_SMS_FROM;
  if (sid === undefined && token === undefined && from === undefined) return null;
  const missing = [
    sid === undefined ? 'AFTERCARE_SMS_ACCOUNT_SID' : null,
    token === undefined ? 'AFTERCARE_SMS_AUTH_TOKEN' : null,
    from === undefined ? 'AFTERCARE_SMS_FROM' : null,
  ].filter((name): name is string => name !== null);
  for (const name of missing)
    issues.push({ variable: name, problem: 'is required once any of the SMS account variables is set' });
  if (sid === undefined || token === undefined || from === undefined) return null;
  return {
    baseUrl: values.AFTERCARE_SMS_URL ?? DEFAULT_SMS_URL,
    accountSid: sid,
    authToken: token,
    from,
    defaultCountry: values.AFTERCARE_SMS_DEFAULT_COUNTRY ?? null,
  };
}
