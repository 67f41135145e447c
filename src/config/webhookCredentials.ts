// What a provider's webhook authenticates with: a shared secret (the HubSpot app secret, the
// Mailgun signing key) or HTTP Basic credentials, a user and a password that are set together
// or not at all (Pipedrive's webhook, Postmark's inbound URL). A problem never repeats a secret.
import type { Parsed } from './values.js';

export interface BasicAuthCredentials {
  user: string;
  password: string;
}

export function parseWebhookSecret(raw: string): Parsed<string> {
  return raw.length >= 12
    ? { ok: true, value: raw }
    : { ok: false, problem: 'is too short for a secret (at least 12 characters)' };
}

/** A Basic auth user: a ":" would end it early in the header. */
export function parseBasicAuthUser(raw: string): Parsed<string> {
  return /^[^:\s]{1,128}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, problem: 'must be 1-128 characters without ":" or spaces' };
}

/**
 * Both or neither: the pair when both are set, null when neither is, and an issue on the missing
 * variable when only one is (`what` names the pair: `Pipedrive webhook`).
 */
export function basicAuthPair(
  user: string | undefined,
  password: string | undefined,
  variables: { user: string; password: string; what: string },
  issues: { variable: string; problem: string }[],
): BasicAuthCredentials | null {
  if ((user === undefined) !== (password === undefined))
    issues.push({
      variable: user === undefined ? variables.user : variables.password,
      problem: `is required once the other ${variables.what} credential is set`,
    });
  return user !== undefined && password !== undefined ? { user, password } : null;
}
