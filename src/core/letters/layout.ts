// Where each part of a printed letter goes on the page, in millimetres from the top-left corner,
// so the recipient's address shows through a window envelope. A4 follows DIN 5008 form B (the
// address field 45 mm from the top, 20 mm from the left, 85 x 45 mm; fold marks at 105 and 210
// mm); US Letter is placed for a #10 single-window envelope with the sheet folded in three.
// docs/letters-and-gifts.md shows both. Pure numbers: src/letters/pdf.ts draws them.

export const PAPERS = ['a4', 'letter'] as const;
export type Paper = (typeof PAPERS)[number];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageLayout {
  paper: Paper;
  width: number;
  height: number;
  /** The business's name and address at the top. */
  letterhead: Box;
  /** The sender's one-line return address, small, just above the recipient. */
  returnLine: Box;
  /** The recipient's address block: what the envelope's window shows. */
  address: Box;
  /** The date, right-aligned. */
  date: Box;
  /** The letter's words, closing and signature line; nothing is printed below its bottom. */
  body: Box;
  footer: Box;
  /** Distances from the top of the short marks at the left edge that show where to fold. */
  foldMarks: number[];
  /** The hole-punch mark (A4), or null. */
  punchMark: number | null;
}

const INCH = 25.4;

/** DIN 5008 form B on A4 (210 x 297 mm). */
const A4: PageLayout = {
  paper: 'a4',
  width: 210,
  height: 297,
  letterhead: { x: 25, y: 15, width: 165, height: 25 },
  // The address field is 45-90 mm from the top: a 17.7 mm zone for notes, whose last line holds
  // the return address, then 27.3 mm for the address (up to six lines). Text starts 5 mm in.
  returnLine: { x: 25, y: 57.7, width: 75, height: 5 },
  address: { x: 25, y: 62.7, width: 75, height: 27.3 },
  // The information block of form B begins 50 mm from the top, 125 mm from the left.
  date: { x: 125, y: 50, width: 65, height: 6 },
  // Form B's first line after the address field (the subject line) is at 98.46 mm.
  body: { x: 25, y: 98.5, width: 165, height: 170 },
  footer: { x: 25, y: 278, width: 165, height: 12 },
  foldMarks: [105, 210],
  punchMark: 148.5,
};

/**
 * US Letter (8.5 x 11 in), folded in three (marks at 93.1 and 186.3 mm), in a #10 envelope
 * (4 1/8 x 9 1/2 in) whose window is 4 1/2 x 1 1/8 in, 7/8 in from its left and 1/2 in from its
 * bottom. The folded sheet can slide about 11 mm in the envelope; the block sits where the window
 * shows it either way: 54-80 mm from the top, from 1 in from the left.
 */
const LETTER: PageLayout = {
  paper: 'letter',
  width: 8.5 * INCH,
  height: 11 * INCH,
  letterhead: { x: INCH, y: 15, width: 6.5 * INCH, height: 25 },
  returnLine: { x: INCH, y: 54, width: 95, height: 4.4 },
  address: { x: INCH, y: 58.4, width: 95, height: 21.6 },
  date: { x: 5.5 * INCH, y: 45, width: 2 * INCH, height: 6 },
  // Below the first fold (93.1 mm), so the words never show through the window.
  body: { x: INCH, y: 4 * INCH, width: 6.5 * INCH, height: 150 },
  footer: { x: INCH, y: 262, width: 6.5 * INCH, height: 12 },
  foldMarks: [(11 * INCH) / 3, (22 * INCH) / 3],
  punchMark: null,
};

export const PAGE_LAYOUTS: Readonly<Record<Paper, PageLayout>> = Object.freeze({ a4: A4, letter: LETTER });

/** PDF points (1/72 in) from millimetres. */
export function mmToPt(mm: number): number {
  return (mm * 72) / INCH;
}

/** The line height (mm) that fits `lines` lines in `box`, at most `preferred`. */
export function lineHeightFor(box: Box, lines: number, preferred: number): number {
  return lines <= 0 ? preferred : Math.min(preferred, box.height / lines);
}

/** The business's postal address as lines: "1 Example Street, Springfield" -> two lines. */
export function postalLines(postalAddress: string): string[] {
  return postalAddress
    .split(/\s*(?:\n|,|;)\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
