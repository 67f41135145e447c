// The words of a printed letter, taken from a letter task's script. A letter template writes the
// letter as its own paragraph (blank lines around it) with every line indented by two spaces,
// among the notes for the person sending it (src/templates/defaults/thank-you-letter.liquid);
// that paragraph is the letter. A closing line's trailing placeholder ("<your name>") is left
// out: the printed page has a signature line instead.

export interface LetterText {
  /** One entry per line of the letter paragraph: salutation first. */
  paragraphs: string[];
  /** The last line when it closes the letter ("With thanks,"); null when the letter has none. */
  closing: string | null;
}

const INDENTED = /^(?: {2}|\t)\S/;
const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)])\s/;
const PLACEHOLDER = /\s*<[^<>\n]*>\s*$/;

/** The letter in `script`, or null when no paragraph of it is an indented letter. */
export function letterTextOf(script: string): LetterText | null {
  const blocks = script.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) continue;
    if (!lines.every((line) => INDENTED.test(line))) continue;
    // An indented list (an order's items) is not a letter.
    if (lines.every((line) => LIST_ITEM.test(line))) continue;
    return shape(lines.map((line) => line.trim()));
  }
  return null;
}

function shape(lines: string[]): LetterText {
  const last = lines.at(-1) ?? '';
  const placeholder = PLACEHOLDER.test(last);
  const closingLine = last.replace(PLACEHOLDER, '').trim();
  // The last line closes the letter when it was signed with a placeholder or ends in a comma
  // ("With thanks," / "Mit freundlichen Grüßen,"), and something stands before it.
  if (lines.length >= 2 && (placeholder || /,$/.test(closingLine))) {
    const paragraphs = lines.slice(0, -1);
    return { paragraphs, closing: closingLine === '' ? null : closingLine };
  }
  return { paragraphs: lines, closing: null };
}
