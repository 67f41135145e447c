// The HTML part of a message: the layout compiled once from MJML (layout/skeleton.ts) with its
// slots filled per message by escaped text only: the business's name above, the body's
// paragraphs (the survey scale as buttons), and the footer (the text after the `--` line that
// _footer.liquid starts with) below. On the dispatch hot path: string joins, no parsing.
import type { TemplateContext } from './context.js';
import { escapeHtml, paragraphToHtml } from './html.js';
import { scaleLines, scaleToHtml, type ScaleView } from './htmlScale.js';
import type { Slot } from './layout/compile.js';
import { SKELETON } from './layout/skeleton.js';

export interface EmailView {
  /** The customer's locale, for `lang`. */
  lang: string;
  subject: string;
  businessName: string;
  scale: ScaleView | null;
}

const PREVIEW_LENGTH = 140;
/** The signature separator of plain-text mail ("-- ", or "--" as our footer writes it). */
const FOOTER_RULE = /\n--[ \t]?\n/g;

/** What the layout needs from a template context (business, locale, survey). */
export function emailView(context: TemplateContext, subject: string): EmailView {
  const business = record(context['business']);
  const survey = record(context['survey']);
  const choices: { score: number; url: string }[] = [];
  const scale = survey?.['scale'];
  if (Array.isArray(scale)) {
    for (const item of scale as unknown[]) {
      const choice = record(item);
      if (typeof choice?.['score'] === 'number' && typeof choice['url'] === 'string') {
        choices.push({ score: choice['score'], url: choice['url'] });
      }
    }
  }
  return {
    lang: typeof context['locale'] === 'string' ? context['locale'] : 'en',
    subject,
    businessName: typeof business?.['name'] === 'string' ? business['name'] : '',
    scale:
      choices.length === 0
        ? null
        : { choices, lowLabel: text(survey?.['low_label']), highLabel: text(survey?.['high_label']) },
  };
}

/** The whole HTML document of a message whose text part is `text`. */
export function emailHtml(text: string, view: EmailView): string {
  const { body, footer } = splitFooter(text);
  const values: Record<Slot, string> = {
    LANG: escapeHtml(view.lang),
    TITLE: escapeHtml(view.subject),
    PREVIEW: escapeHtml(preview(body)),
    HEADER: escapeHtml(view.businessName),
    BODY: bodyHtml(body, view.scale),
    FOOTER: footer === '' ? '' : bodyHtml(footer, null),
  };
  const { parts, slots } = SKELETON;
  let out = parts[0] ?? '';
  for (let i = 0; i < slots.length; i++) out += values[slots[i] as Slot] + (parts[i + 1] ?? '');
  return out;
}

function bodyHtml(text: string, scale: ScaleView | null): string {
  let html = '';
  for (const paragraph of text.split(/\n[ \t]*\n/)) {
    const trimmed = paragraph.trim();
    if (trimmed === '') continue;
    const lines = scale === null ? null : scaleLines(trimmed, scale);
    html += lines === null || scale === null ? paragraphToHtml(trimmed) : scaleToHtml(lines, scale);
  }
  return html;
}

/** Body and footer at the last `--` line; no such line: all body. */
export function splitFooter(text: string): { body: string; footer: string } {
  let at = -1;
  let length = 0;
  for (const match of text.matchAll(FOOTER_RULE)) {
    at = match.index;
    length = match[0].length;
  }
  if (at < 0) return { body: text, footer: '' };
  return { body: text.slice(0, at), footer: text.slice(at + length) };
}

/** The line inboxes show after the subject: the body's start, on one line. */
function preview(body: string): string {
  const line = body
    .slice(0, PREVIEW_LENGTH * 2)
    .replace(/\s+/g, ' ')
    .trim();
  return line.length <= PREVIEW_LENGTH ? line : `${line.slice(0, PREVIEW_LENGTH - 1).trimEnd()}…`;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
