// The markup every public page shares: one HTML shell (language, viewport, the stylesheet, the
// business's name), the help and escalation contacts, and text escaped on the way in. Pages are
// plain HTML forms: no script, nothing that needs one.
import type { BusinessInfo } from '../../core/business.js';
import type { Texts } from './texts.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export interface PageParts {
  t: Texts;
  business: BusinessInfo;
  /** Path prefix of AFTERCARE_PUBLIC_URL ('' at the root). */
  base: string;
  title: string;
  /** Inner HTML of <main>, already escaped. */
  body: string;
  /** The contacts at the foot of the page (the help page has them in its body). */
  contacts?: boolean;
}

export function page(parts: PageParts): string {
  const { t, business, base } = parts;
  const footer = parts.contacts === false ? '' : `<footer>${contactsHtml(t, business)}</footer>`;
  return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(parts.title)} · ${esc(business.name)}</title>
<link rel="stylesheet" href="${esc(base)}/assets/pages.css">
</head>
<body>
<header><p class="brand">${esc(business.name)}</p></header>
<main>
<h1>${esc(parts.title)}</h1>
${parts.body}
</main>
${footer}
</body>
</html>
`;
}

/** Support, the phone if any, the person to escalate to, and that a reply reaches a person. */
export function contactsHtml(t: Texts, business: BusinessInfo, heading = t.contactsTitle): string {
  const mail = (address: string): string => `<a href="mailto:${esc(address)}">${esc(address)}</a>`;
  // The sentences come from the texts with a NUL where the address goes: the sentence is escaped
  // as text, then the NUL replaced by the link's markup (the texts never hold HTML).
  const write = esc(t.writeTo('\u0000')).replace('\u0000', mail(business.supportEmail));
  const call = business.supportPhone
    ? ` ${esc(t.callUs('\u0000')).replace('\u0000', `<a href="tel:${esc(business.supportPhone.replace(/[^+\d]/g, ''))}">${esc(business.supportPhone)}</a>`)}`
    : '';
  const escalate = esc(t.escalate(business.escalationName, '\u0000')).replace(
    '\u0000',
    mail(business.escalationEmail),
  );
  return `<section class="contacts" aria-labelledby="contacts-title">
<h2 id="contacts-title">${esc(heading)}</h2>
<p>${write}${call}.</p>
<p>${esc(t.replyToAnyMail)}</p>
<p>${escalate}</p>
</section>`;
}

export function paragraph(text: string, className?: string): string {
  return `<p${className ? ` class="${className}"` : ''}>${esc(text)}</p>`;
}

/** The stylesheet of every page: readable on a phone, large targets, visible focus, good contrast. */
export const STYLESHEET = `*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:112.5%;line-height:1.5;color:#1a1a1a;background:#fafafa}
body{margin:0 auto;max-width:40rem;padding:1rem}
header .brand{font-weight:700;margin:0 0 1rem}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#0b4f9c}
a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #0b4f9c;outline-offset:2px}
fieldset{border:1px solid #767676;border-radius:.5rem;margin:0 0 1rem;padding:.75rem 1rem}
legend{font-weight:700;padding:0 .25rem}
label{display:block;padding:.35rem 0}
.scale{display:flex;flex-wrap:wrap;gap:.4rem}
.scale label{border:1px solid #767676;border-radius:.4rem;min-width:2.75rem;padding:.5rem;text-align:center;background:#fff}
.scale-ends{display:flex;justify-content:space-between;font-size:.9rem;margin:.4rem 0 0}
textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem}
button{font:inherit;font-weight:700;color:#fff;background:#0b4f9c;border:0;border-radius:.5rem;padding:.75rem 1.25rem;min-height:2.75rem;cursor:pointer}
.note{background:#eef4fb;border-left:4px solid #0b4f9c;padding:.5rem .75rem}
.problem{background:#fdecea;border-left:4px solid #a4262c;padding:.5rem .75rem}
ul.steps{padding-left:1.2rem}
ul.steps li{margin:.4rem 0}
.when{color:#4a4a4a}
footer{margin-top:2rem;border-top:1px solid #d0d0d0}
`;
