// The survey scale as buttons: each one a real link to the public survey page with its score
// preselected (GET shows the confirm page, POST records; http/public/survey.ts). The text part
// keeps one line per choice; this finds that paragraph by its URLs, which are sealed per message
// and so cannot be forged by anything a customer typed, and draws it as a row of buttons.
import { escapeHtml } from './html.js';

export interface ScaleChoice {
  score: number;
  url: string;
}

export interface ScaleView {
  choices: readonly ScaleChoice[];
  /** Words for the two ends ("Not likely", "Very likely"), shown under the buttons. */
  lowLabel: string | null;
  highLabel: string | null;
}

// Inline, as many clients drop <style>; the font is inherited from the layout's text block.
const BUTTON_STYLE =
  'display:inline-block;min-width:40px;margin:0 4px 6px 0;padding:9px 6px;border:1px solid #1a5fb4;' +
  'border-radius:4px;color:#1a5fb4;font-size:16px;font-weight:bold;line-height:20px;' +
  'text-align:center;text-decoration:none';

/**
 * The lines of `paragraph` when they are exactly the scale, one choice per line in order; else
 * null (the paragraph stays text with links).
 */
export function scaleLines(paragraph: string, scale: ScaleView): string[] | null {
  const { choices } = scale;
  const first = choices[0];
  if (first === undefined || !paragraph.includes(first.url)) return null;
  const lines = paragraph.split('\n');
  if (lines.length !== choices.length) return null;
  for (let i = 0; i < lines.length; i++) {
    const url = choices[i]?.url ?? '';
    const line = lines[i] ?? '';
    const at = line.indexOf(url);
    // The URL must end the line or be followed by a non-URL character, so ?score=1 is not ?score=10.
    if (at < 0 || /[^\s)>.,;]/.test(line[at + url.length] ?? ' ')) return null;
  }
  return lines;
}

/** The buttons for the scale, labelled by what each text line says without its URL. */
export function scaleToHtml(lines: readonly string[], scale: ScaleView): string {
  let buttons = '';
  scale.choices.forEach((choice, i) => {
    const said = (lines[i] ?? '')
      .replace(choice.url, '')
      .replace(/[\s:–-]+$/, '')
      .trim();
    const title = said === '' ? String(choice.score) : said;
    buttons +=
      `<a href="${escapeHtml(choice.url)}" aria-label="${escapeHtml(title)}"` +
      ` style="${BUTTON_STYLE}">${choice.score}</a>`;
  });
  const first = scale.choices[0];
  const last = scale.choices[scale.choices.length - 1];
  const ends =
    scale.lowLabel !== null && scale.highLabel !== null && first !== undefined && last !== undefined
      ? `<p style="margin:0 0 13px;font-size:13px;color:#555555;">${first.score} = ${escapeHtml(scale.lowLabel)} · ${last.score} = ${escapeHtml(scale.highLabel)}</p>\n`
      : '';
  return (
    '<table role="presentation" class="ac-scale" border="0" cellpadding="0" cellspacing="0" style="margin:8px 0 0;">' +
    `<tr><td style="font-size:0;line-height:0;">${buttons}</td></tr></table>\n${ends}`
  );
}
