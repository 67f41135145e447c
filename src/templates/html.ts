// The HTML of an email's text: escaped paragraphs, line breaks kept, web addresses and e-mail
// addresses turned into links (htmlEmail.ts puts them into the compiled layout). Made after
// rendering, so nothing a customer typed (a name, a note) can ever become markup. Runs on every e-mail sent, so links are found
// by scanning from `http` and `@` rather than with a regex tried at every position.

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}

interface Link {
  start: number;
  end: number;
  href: string;
}

function findLinks(text: string): Link[] {
  const links: Link[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    links.push({ start: match.index, end: match.index + url.length, href: url });
  }
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    if (links.some((l) => at >= l.start && at < l.end)) continue;
    let start = at;
    while (start > 0 && LOCAL_CHAR.test(text[start - 1] ?? '')) start--;
    let end = at + 1;
    while (end < text.length && DOMAIN_CHAR.test(text[end] ?? '')) end++;
    while (end > at + 1 && text[end - 1] === '.') end--; // a sentence's full stop is not the domain's
    const domain = text.slice(at + 1, end);
    if (start < at && domain.includes('.') && !domain.startsWith('.')) {
      links.push({ start, end, href: `mailto:${text.slice(start, end)}` });
    }
  }
  return links.sort((a, b) => a.start - b.start);
}

function linkify(text: string): string {
  if (!text.includes('@') && !text.includes('http')) return escapeHtml(text);
  let out = '';
  let last = 0;
  for (const link of findLinks(text)) {
    const shown = text.slice(link.start, link.end);
    out += `${escapeHtml(text.slice(last, link.start))}<a href="${escapeHtml(link.href)}">${escapeHtml(shown)}</a>`;
    last = link.end;
  }
  return out + escapeHtml(text.slice(last));
}

/** Paragraphs at blank lines; single line breaks become <br>; links found in the text. */
export function paragraphsToHtml(text: string): string {
  let body = '';
  for (const paragraph of text.split(/\n[ \t]*\n/)) {
    const trimmed = paragraph.trim();
    if (trimmed !== '') body += paragraphToHtml(trimmed);
  }
  return body;
}

/** One trimmed, non-empty paragraph. */
export function paragraphToHtml(trimmed: string): string {
  return `<p>${linkify(trimmed).replace(/\n/g, '<br>\n')}</p>\n`;
}
