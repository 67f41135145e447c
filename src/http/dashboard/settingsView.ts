// What the settings page shows of the running configuration: each setting with its value and the
// environment variable that changes it (settings come from the environment; docs/configuration.md).
// Integrations say whether they are configured and where, never a secret: no password, token, key
// or signing secret, and of URLs only the scheme, host and port (a URL may carry a token).
import type { Config } from '../../config.js';
import { formatDuration } from '../../core/playbook/duration.js';
import type { LocalTimeOfDay } from '../../core/playbook/types.js';

export interface SettingRow {
  setting: string;
  value: string;
  /** The environment variables that change it. */
  env: string;
}

export interface SettingSection {
  id: string;
  title: string;
  rows: SettingRow[];
}

const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const two = (n: number): string => String(n).padStart(2, '0');
const clock = (t: LocalTimeOfDay): string => `${two(t.hour)}:${two(t.minute)}`;

/** `smtp://mail.example:587`: scheme, host and port of a URL, nothing else. */
export function whereOf(url: string): string {
  if (!URL.canParse(url)) return 'an address that does not parse';
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

const configured = (where: string): string => `configured: ${where}`;
const NOT_SET = 'not configured';

export function settingSections(config: Readonly<Config>): SettingSection[] {
  const { business, policy, integrations, replies, crm } = config;
  const webhook = (path: string, secret: string | null): string =>
    secret === null ? NOT_SET : configured(`receives at ${config.publicUrl}/webhooks${path}`);
  const sms = integrations.sms;
  const endpoints = integrations.webhook?.endpoints ?? [];
  return [
    {
      id: 'business',
      title: 'Business details',
      rows: [
        { setting: 'Name', value: business.name, env: 'AFTERCARE_BUSINESS_NAME' },
        { setting: 'Website', value: business.website ?? 'none', env: 'AFTERCARE_BUSINESS_WEBSITE' },
        { setting: 'Support e-mail', value: business.supportEmail, env: 'AFTERCARE_SUPPORT_EMAIL' },
        { setting: 'Support phone', value: business.supportPhone ?? 'none', env: 'AFTERCARE_SUPPORT_PHONE' },
        {
          setting: 'Escalation contact',
          value: `${business.escalationName} <${business.escalationEmail}>`,
          env: 'AFTERCARE_ESCALATION_NAME, AFTERCARE_ESCALATION_EMAIL',
        },
        { setting: 'Postal address', value: business.postalAddress, env: 'AFTERCARE_POSTAL_ADDRESS' },
        { setting: 'Messages come from', value: config.emailFrom, env: 'AFTERCARE_EMAIL_FROM' },
        { setting: 'Time zone', value: policy.defaultTimezone, env: 'AFTERCARE_TIMEZONE' },
        { setting: 'Public address of links', value: config.publicUrl, env: 'AFTERCARE_PUBLIC_URL' },
      ],
    },
    {
      id: 'hours',
      title: 'Quiet hours and business hours',
      rows: [
        {
          setting: 'Quiet hours (no messages, customer’s zone)',
          value: `${clock(policy.quietHours.start)}–${clock(policy.quietHours.end)}`,
          env: 'AFTERCARE_QUIET_HOURS',
        },
        {
          setting: 'Business hours (calls and meetings)',
          value: `${policy.businessHours.days.map((d) => DAYS[d] ?? String(d)).join(', ')} ${clock(policy.businessHours.start)}–${clock(policy.businessHours.end)}`,
          env: 'AFTERCARE_BUSINESS_HOURS',
        },
      ],
    },
    {
      id: 'caps',
      title: 'Frequency caps',
      rows: [
        {
          setting: 'Non-transactional messages per customer',
          value: `at most ${policy.frequencyCap.max} per ${formatDuration(policy.frequencyCap.windowMs)}`,
          env: 'AFTERCARE_FREQUENCY_CAP',
        },
        {
          setting: 'Surveys per customer',
          value: `at most one per ${formatDuration(policy.surveyIntervalMs)}`,
          env: 'AFTERCARE_SURVEY_INTERVAL',
        },
        {
          setting: 'The same step again',
          value:
            policy.sameStepWindowMs === 0 ? 'off' : `not within ${formatDuration(policy.sameStepWindowMs)}`,
          env: 'AFTERCARE_SAME_STEP_WINDOW',
        },
        {
          setting: 'Offers after delivery',
          value: `not before ${formatDuration(policy.offerDelayAfterDeliveryMs)}`,
          env: 'AFTERCARE_OFFER_DELAY',
        },
      ],
    },
    {
      id: 'holdout',
      title: 'Holdout',
      rows: [
        {
          setting: 'Share of customers held out (get no program)',
          value: `${Math.round(config.holdoutShare * 1000) / 10}%`,
          env: 'AFTERCARE_HOLDOUT',
        },
        {
          setting: 'Measurement surveys reach the holdout',
          value: policy.measurementSurveys ? 'yes' : 'no',
          env: 'AFTERCARE_MEASUREMENT',
        },
      ],
    },
    {
      id: 'integrations',
      title: 'Integrations',
      rows: [
        {
          setting: 'E-mail (SMTP)',
          value:
            config.smtpUrl === null
              ? `not configured: e-mail is written as .eml files to ${config.outboxDir}`
              : configured(whereOf(config.smtpUrl)),
          env: 'SMTP_URL',
        },
        {
          setting: 'DKIM signing',
          value:
            config.dkim === null
              ? NOT_SET
              : configured(`${config.dkim.keySelector}._domainkey.${config.dkim.domainName}`),
          env: 'AFTERCARE_DKIM_DOMAIN, AFTERCARE_DKIM_SELECTOR, AFTERCARE_DKIM_PRIVATE_KEY(_FILE)',
        },
        {
          setting: 'SMS',
          value: sms === null ? NOT_SET : configured(`${whereOf(sms.baseUrl)}, from ${sms.from}`),
          env: 'AFTERCARE_SMS_URL, AFTERCARE_SMS_ACCOUNT_SID, AFTERCARE_SMS_AUTH_TOKEN, AFTERCARE_SMS_FROM',
        },
        {
          setting: 'Shopify',
          value: webhook('/shopify', integrations.inbound.shopify),
          env: 'SHOPIFY_WEBHOOK_SECRET',
        },
        {
          setting: 'Stripe',
          value: webhook('/stripe', integrations.inbound.stripe),
          env: 'STRIPE_WEBHOOK_SECRET',
        },
        {
          setting: 'Tracking (AfterShip)',
          value: webhook('/tracking', integrations.inbound.tracking),
          env: 'TRACKING_WEBHOOK_SECRET',
        },
        {
          setting: 'Standard Webhooks in',
          value: webhook('/standard', integrations.inbound.standard),
          env: 'STANDARD_WEBHOOK_SECRET',
        },
        {
          setting: 'Webhooks out',
          value:
            endpoints.length === 0 ? NOT_SET : configured(endpoints.map((e) => whereOf(e.url)).join(', ')),
          env: 'AFTERCARE_WEBHOOK_URL, AFTERCARE_WEBHOOK_SECRET',
        },
        {
          setting: 'CRM: HubSpot',
          value:
            crm.hubspot === null ? NOT_SET : configured(`receives at ${config.publicUrl}/webhooks/hubspot`),
          env: 'AFTERCARE_HUBSPOT_CLIENT_SECRET',
        },
        {
          setting: 'CRM: Pipedrive',
          value:
            crm.pipedrive === null
              ? NOT_SET
              : configured(`receives at ${config.publicUrl}/webhooks/pipedrive`),
          env: 'AFTERCARE_PIPEDRIVE_WEBHOOK_USER, AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD',
        },
        {
          setting: 'Replies inbox: SMTP listener',
          value:
            replies.smtp === null
              ? NOT_SET
              : configured(`listens on ${replies.smtp.host}:${replies.smtp.port}`),
          env: 'AFTERCARE_INBOUND_SMTP_HOST, AFTERCARE_INBOUND_SMTP_PORT',
        },
        {
          setting: 'Replies inbox: Postmark',
          value:
            replies.postmark === null
              ? NOT_SET
              : configured(`receives at ${config.publicUrl}/webhooks/inbound/postmark`),
          env: 'AFTERCARE_POSTMARK_INBOUND_USER, AFTERCARE_POSTMARK_INBOUND_PASSWORD',
        },
        {
          setting: 'Replies inbox: Mailgun',
          value:
            replies.mailgunSigningKey === null
              ? NOT_SET
              : configured(`receives at ${config.publicUrl}/webhooks/inbound/mailgun`),
          env: 'AFTERCARE_MAILGUN_SIGNING_KEY',
        },
        {
          setting: 'Replies inbox: SendGrid',
          value:
            replies.sendgridToken === null
              ? NOT_SET
              : configured(`receives at ${config.publicUrl}/webhooks/inbound/sendgrid/<token>`),
          env: 'AFTERCARE_SENDGRID_INBOUND_TOKEN',
        },
      ],
    },
  ];
}
