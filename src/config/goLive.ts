// What in a valid configuration is still wrong for real customers: the demo's business details on
// real mail, links that point at localhost, no link secret, no control group. `aftercare doctor`
// lists these (with what the store says), and `serve` logs them loudly at start. Errors would hurt
// customers or stop a process; warnings are worth a look. Pure: the config in, problems out.
import { isIP } from 'node:net';
import { DEFAULTS, type Config } from '../config.js';
import { SECRET_HOW_TO } from './secrets.js';

export type Severity = 'error' | 'warning';

export interface GoLiveProblem {
  severity: Severity;
  /** The environment variable to change. */
  variable: string;
  /** What is wrong, and what it would do. */
  problem: string;
  /** What to do about it. */
  fix: string;
}

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): no mail to them reaches anyone. */
function placeholderDomain(address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return (
    /(^|\.)example\.(com|net|org)$/.test(domain) ||
    /\.(example|test|invalid|localhost)$/.test(domain) ||
    domain === 'localhost'
  );
}

/** A host only this machine (or its network) reaches: links to it are dead for customers. */
function localHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
  if (isIP(host) === 0) return false;
  return (
    host === '::1' ||
    host === '0.0.0.0' ||
    host.startsWith('127.') ||
    host.startsWith('10.') ||
    host.startsWith('192.168.') ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host)
  );
}

function mailProblems(config: Readonly<Config>): GoLiveProblem[] {
  const problems: GoLiveProblem[] = [];
  const error = (variable: string, problem: string, fix: string): void => {
    problems.push({ severity: 'error', variable, problem, fix });
  };
  const { business } = config;
  if (business.name === DEFAULTS.businessName) {
    error(
      'AFTERCARE_BUSINESS_NAME',
      `is the demo's "${DEFAULTS.businessName}" while SMTP_URL sends real mail: customers would hear from a shop that does not exist`,
      "set it to your shop's name as customers know it",
    );
  }
  if (business.postalAddress === DEFAULTS.postalAddress) {
    error(
      'AFTERCARE_POSTAL_ADDRESS',
      `is the demo's "${DEFAULTS.postalAddress}": every message carries it, and commercial mail must show your real postal address (CAN-SPAM, EU e-commerce rules)`,
      "set it to your business's postal address",
    );
  }
  if (placeholderDomain(business.supportEmail)) {
    error(
      'AFTERCARE_SUPPORT_EMAIL',
      `is ${business.supportEmail}, an example address: customers asking for help (and replies to our mail) would reach nobody`,
      'set it to the mailbox your support team reads',
    );
  }
  if (business.fromEmail !== business.supportEmail && placeholderDomain(business.fromEmail)) {
    error(
      'AFTERCARE_EMAIL_FROM',
      `sends from ${business.fromEmail}, an example address: receivers will refuse or junk it, and replies go nowhere`,
      'set it to an address of your own domain that your SMTP server may send from',
    );
  }
  if (business.escalationName === DEFAULTS.escalationName || placeholderDomain(business.escalationEmail)) {
    error(
      business.escalationName === DEFAULTS.escalationName
        ? 'AFTERCARE_ESCALATION_NAME'
        : 'AFTERCARE_ESCALATION_EMAIL',
      `names the demo's ${business.escalationName} <${business.escalationEmail}>: customers are told to escalate to them, and unanswered concerns climb to them`,
      'set AFTERCARE_ESCALATION_NAME and AFTERCARE_ESCALATION_EMAIL to a real person who answers',
    );
  }
  const url = new URL(config.publicUrl);
  if (localHost(url.hostname)) {
    error(
      'AFTERCARE_PUBLIC_URL',
      `is ${config.publicUrl}: every unsubscribe, survey, preferences and plan link in real mail would point at a machine customers cannot reach`,
      'set it to the https:// address where customers reach this server (behind your proxy)',
    );
  } else if (url.protocol !== 'https:') {
    error(
      'AFTERCARE_PUBLIC_URL',
      `is ${config.publicUrl}, plain http: one-click unsubscribe (RFC 8058, required by Gmail and Yahoo) needs https, and the links' tokens would travel in clear`,
      'serve the pages over https and set the https:// address',
    );
  }
  if (config.dkim === null) {
    problems.push({
      severity: 'warning',
      variable: 'AFTERCARE_DKIM_DOMAIN',
      problem:
        'is not set, so Aftercare does not DKIM-sign mail: unless your SMTP relay signs it, large mailbox providers junk or refuse it',
      fix: 'set AFTERCARE_DKIM_DOMAIN, AFTERCARE_DKIM_SELECTOR and AFTERCARE_DKIM_PRIVATE_KEY_FILE, or check that the relay signs',
    });
  }
  return problems;
}

/** Every go-live problem of a (valid) configuration, errors first. */
export function goLiveProblems(config: Readonly<Config>): GoLiveProblem[] {
  const problems: GoLiveProblem[] = [];
  if (config.secrets.current === null) {
    problems.push({
      severity: 'error',
      variable: 'AFTERCARE_SECRET',
      problem: 'is not set: `serve` and `worker` refuse to start, since it seals every link in every message',
      fix: `${SECRET_HOW_TO}, set it for every process and keep it`,
    });
  }
  if (config.smtpUrl !== null) {
    problems.push(...mailProblems(config));
  } else {
    problems.push({
      severity: 'warning',
      variable: 'SMTP_URL',
      problem: `is not set: e-mail is written as .eml files to ${config.outboxDir}, and no customer receives it`,
      fix: 'set it to your SMTP server (smtp:// or smtps://) to send for real',
    });
  }
  if (config.holdoutShare === 0) {
    problems.push({
      severity: 'warning',
      variable: 'AFTERCARE_HOLDOUT',
      problem: 'is 0: there is no control group, so whether the program works can never be measured',
      fix: 'keep a share such as 0.1 (10%) of new customers as the control group',
    });
  } else if (config.holdoutShare > 0.5) {
    problems.push({
      severity: 'warning',
      variable: 'AFTERCARE_HOLDOUT',
      problem: `is ${config.holdoutShare}: most new customers get only transactional messages`,
      fix: 'a control group of 0.05-0.2 measures as well and leaves out fewer customers',
    });
  }
  if (config.holdoutShare > 0 && !config.policy.measurementSurveys) {
    problems.push({
      severity: 'warning',
      variable: 'AFTERCARE_MEASUREMENT',
      problem:
        'is off: the holdout group is never asked the measurement surveys, so CSAT and NPS cannot be compared',
      fix: 'set it to on (the default) to ask both groups the same questions (docs/measuring-surveys.md)',
    });
  }
  return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
