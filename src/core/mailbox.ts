// One e-mail address, exactly: the check every edge that takes an address from outside runs
// (CSV, webhooks, the API, reply matching) and the e-mail channel runs again before it sends.
// "a@x.example, b@y.example" would make nodemailer send to both; a display name, a group, a
// comment or a line break smuggles headers or recipients. The parse is nodemailer's, the same
// parser that would split the address when sending; what it yields must be the input unchanged.
import addressparser from 'nodemailer/lib/addressparser';

export type MailboxCheck = { ok: true; address: string } | { ok: false; problem: string };

/** RFC 5321: a path of at most 256 octets including the angle brackets; a local part of at most 64. */
export const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

// Dot-atom local part (no quoted strings: nobody's real shop address needs one) ...
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
// ... and a domain of at least two labels, letters (any script), digits and inner hyphens.
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * The address, trimmed, when `raw` is exactly one bare address (addr-spec); otherwise why not,
 * phrased to follow the field's name and never repeating the value (problems reach logs).
 */
export function checkMailbox(raw: string): MailboxCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, problem: 'is empty' };
  if (/\p{Cc}/u.test(text)) return { ok: false, problem: 'contains a line break or control character' };
  if (text.length > MAX_ADDRESS_LENGTH) {
    return { ok: false, problem: `is longer than ${MAX_ADDRESS_LENGTH} characters` };
  }
  if (!text.includes('@')) return { ok: false, problem: 'is not an e-mail address like buyer@example.com' };
  const parsed = addressparser(text, { flatten: false });
  if (parsed.length > 1) {
    return { ok: false, problem: `holds ${parsed.length} addresses; give exactly one` };
  }
  const only = parsed[0];
  if (only === undefined) return { ok: false, problem: 'is not an e-mail address' };
  if ('group' in only) return { ok: false, problem: 'is an address group; give exactly one address' };
  if (only.name !== '' || only.address !== text) {
    return {
      ok: false,
      problem:
        'is not a bare address (a name, comment or brackets around it); give it like buyer@example.com',
    };
  }
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (at <= 0 || !LOCAL.test(local) || local.length > MAX_LOCAL_LENGTH) {
    return { ok: false, problem: 'is not an e-mail address like buyer@example.com' };
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return { ok: false, problem: 'has no valid domain; expected an address like buyer@example.com' };
  }
  return { ok: true, address: text };
}

/** True when `raw` is exactly one bare address. */
export function isMailbox(raw: string): boolean {
  return checkMailbox(raw).ok;
}
