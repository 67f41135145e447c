// The markup every dashboard page shares: the shell (language, title, stylesheet), the
// navigation the user's role allows, the sign-out forms with their CSRF token, and helpers
// for times in the user's zone. Plain HTML and forms: every page works without script.
import { localParts } from '../../core/localTime.js';
import { may, type Permission } from '../../core/roles.js';
import type { User } from '../../store/ports/users.js';
import { esc } from '../public/layout.js';
import { DASHBOARD_PREFIX } from './routes.js';

export { esc };

export const DASHBOARD_STYLESHEET = `*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:100%;line-height:1.45;color:#1a1a1a;background:#f6f7f9}
body{margin:0}
a{color:#0b57d0}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #0b57d0;outline-offset:2px}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;background:#fff;border-bottom:1px solid #d0d4da;padding:.6rem 1rem}
.top .brand{font-weight:700;margin:0}
.top nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
.top nav a[aria-current=page]{font-weight:700;text-decoration:none;border-bottom:3px solid #0b57d0}
.top .who{margin-left:auto;display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:0 0 .5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
.card{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:1rem;margin-bottom:1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{font-weight:600;color:#3c4043}
.muted{color:#555b62}
.big{font-size:1.8rem;font-weight:700;margin:0}
.bad{color:#a50e0e;font-weight:600}
button,.button{font:inherit;padding:.45rem .9rem;border-radius:4px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.plain{background:#fff;color:#0b57d0}
.outcomes{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
input,select,textarea{font:inherit;padding:.4rem;border:1px solid #80868b;border-radius:4px;max-width:100%}
textarea{width:100%;min-height:4rem}
.script{white-space:pre-wrap;background:#fffbe6;border:1px solid #e8d27a;padding:.75rem;border-radius:4px}
.notice{background:#e6f4ea;border:1px solid #81c995;padding:.5rem .75rem;border-radius:4px}
.error{background:#fce8e6;border:1px solid #ee675c;padding:.5rem .75rem;border-radius:4px}
.touch-points{list-style:none;margin:0;padding:0}
.touch-points .tp{border-top:1px solid #e3e6ea;padding:.5rem 0}
.touch-points h3{font-size:1rem;margin:.25rem 0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:flex-end}
.actions form{display:flex;flex-direction:column;align-items:flex-start;gap:.25rem}
.actions .label{font-weight:600;margin:.5rem 0 .2rem}
.danger{border-color:#a50e0e;background:#a50e0e}
iframe.mail{width:100%;min-height:32rem;border:1px solid #d0d4da;background:#fff}

.helps{color:#1b7a3a}.harms{color:#b3261e}.unclear,.note{color:#555b62}
.field-error{color:#a50e0e;font-weight:600;margin:.2rem 0}
[aria-invalid=true]{border-color:#a50e0e;border-width:2px}
.scroll{overflow-x:auto}
.subnav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0 0 1rem;padding:0}
.subnav a[aria-current=page]{font-weight:700}
.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.inline label{margin:0 0 .2rem}

.scroll{overflow-x:auto}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
.facts dt{font-weight:600}.facts dd{margin:0}
dl.step{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:0 .75rem;font-size:.9rem}
dl.step dt{color:#3c4043}dl.step dd{margin:0}
mark{background:#fff3b0;color:#1a1a1a}
.change.added{color:#0d652d;font-weight:600}.change.removed{color:#a50e0e;font-weight:600}.change.changed{font-weight:600}
.timeline{margin:0}.timeline svg{display:block;max-width:100%;height:auto}
.key{font-weight:600}.key.email{color:#0b57d0}.key.sms{color:#0d652d}.key.webhook{color:#5f3dc4}.key.task{color:#a50e0e}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}form.inline label{margin:0}
textarea.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;min-height:16rem}
pre.code{background:#f1f3f4;padding:.5rem;overflow-x:auto;margin:0}
fieldset{border:1px solid #d0d4da;border-radius:4px;margin:.5rem 0;padding:.5rem .75rem}
legend{font-weight:600}
label.choice{display:inline;font-weight:400;margin-right:1rem}
.login{max-width:24rem;margin:3rem auto}
.login input{width:100%}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
`;

const NAV: readonly { path: string; label: string; permission: Permission }[] = [
  { path: '/overview', label: 'Overview', permission: 'overview' },
  { path: '/inbox', label: 'Inbox', permission: 'inbox' },
  { path: '/customers', label: 'Customers', permission: 'customers.read' },
  { path: '/playbooks', label: 'Playbooks', permission: 'playbooks.read' },
  { path: '/effectiveness', label: 'Effectiveness', permission: 'reports.read' },
  { path: '/outbox', label: 'Outbox', permission: 'outbox.read' },
  { path: '/settings', label: 'Settings', permission: 'admin' },
];

export interface DashboardPage {
  title: string;
  /** Inner HTML of <main> after the h1, already escaped. */
  body: string;
  /** The signed-in user; absent on the sign-in page. */
  user?: User;
  /** The CSRF token for the sign-out forms. */
  csrf?: string;
  /** The nav entry to mark as current. */
  current?: string;
  businessName: string;
}

export function dashboardPage(page: DashboardPage): string {
  const { user, csrf } = page;
  const base = DASHBOARD_PREFIX;
  const nav =
    user === undefined
      ? ''
      : `<nav aria-label="Dashboard"><ul>${NAV.filter((n) => may(user.role, n.permission))
          .map(
            (n) =>
              `<li><a href="${base}${n.path}"${n.path === page.current ? ' aria-current="page"' : ''}>${esc(n.label)}</a></li>`,
          )
          .join('')}</ul></nav>
<div class="who"><span>${esc(user.name ?? user.email)} <span class="muted">(${esc(user.role)})</span></span>
<form method="post" action="${base}/sign-out">${csrfField(csrf)}<button class="plain" type="submit">Sign out</button></form>
<form method="post" action="${base}/sign-out-everywhere">${csrfField(csrf)}<button class="plain" type="submit">Sign out everywhere</button></form></div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(page.title)} · Aftercare · ${esc(page.businessName)}</title>
<link rel="stylesheet" href="${base}/assets/dashboard.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><p class="brand">Aftercare · ${esc(page.businessName)}</p>${nav}</header>
<main id="main">
<h1>${esc(page.title)}</h1>
${page.body}
</main>
</body>
</html>
`;
}

export function csrfField(token: string | undefined): string {
  return token === undefined ? '' : `<input type="hidden" name="_csrf" value="${esc(token)}">`;
}

/** `2026-03-04 14:05` in the zone, with the zone's name where asked. */
export function timeIn(at: number | null, zone: string, withZone = false): string {
  if (at === null) return '–';
  const p = localParts(at, zone);
  const two = (n: number): string => String(n).padStart(2, '0');
  const text = `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
  return withZone ? `${text} (${zone})` : text;
}

/** A table with a header row; cells are HTML already escaped. */
export function table(
  caption: string,
  header: readonly string[],
  rows: readonly string[][],
  empty: string,
): string {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  return `<table><caption class="skip">${esc(caption)}</caption><thead><tr>${header
    .map((h) => `<th scope="col">${esc(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
