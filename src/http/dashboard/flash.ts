// A notice that survives one redirect (post/redirect/get): what a form did, or why it changed
// nothing, shown once on the page it leads back to. It rides in a short-lived cookie signed with
// the dashboard's cookie secret, so nobody can make a page claim something that did not happen,
// and it names the page it belongs to, so it never turns up on another.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { cookieOptions } from './index.js';
import { esc } from './layout.js';

const FLASH_COOKIE = 'aftercare_flash';
/** Long enough for the redirect, short enough that a stale one never surprises anybody. */
const FLASH_SECONDS = 120;

export interface Flash {
  tone: 'notice' | 'error';
  text: string;
  /** Details as a list under the text (what an erasure removed). */
  items?: string[];
}

interface Stored extends Flash {
  /** The page (path) it is shown on. */
  page: string;
}

export function setFlash(
  config: Readonly<Config>,
  request: FastifyRequest,
  reply: FastifyReply,
  page: string,
  flash: Flash,
): void {
  const stored: Stored = { page, ...flash };
  const value = Buffer.from(JSON.stringify(stored), 'utf8').toString('base64url');
  reply.setCookie(FLASH_COOKIE, value, {
    ...cookieOptions(config, request),
    signed: true,
    maxAge: FLASH_SECONDS,
  });
}

/** The notice for this page, if one waits for it (and then it is gone). */
export function takeFlash(
  config: Readonly<Config>,
  request: FastifyRequest,
  reply: FastifyReply,
  page: string,
): Flash | null {
  const raw = request.cookies[FLASH_COOKIE];
  if (raw === undefined) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return null;
  let stored: Stored;
  try {
    stored = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as Stored;
  } catch {
    return null;
  }
  if (stored.page !== page) return null;
  reply.clearCookie(FLASH_COOKIE, cookieOptions(config, request));
  return {
    tone: stored.tone === 'error' ? 'error' : 'notice',
    text: String(stored.text),
    items: stored.items,
  };
}

export function flashHtml(flash: Flash | null): string {
  if (flash === null) return '';
  const items =
    flash.items && flash.items.length > 0
      ? `<ul>${flash.items.map((i) => `<li>${esc(String(i))}</li>`).join('')}</ul>`
      : '';
  return flash.tone === 'error'
    ? `<div class="error" role="alert"><p>${esc(flash.text)}</p>${items}</div>`
    : `<div class="notice" role="status"><p>${esc(flash.text)}</p>${items}</div>`;
}
