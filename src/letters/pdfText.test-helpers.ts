// Reads a PDF back the way a person's viewer does (Mozilla's pdf.js), for tests: each page's
// size and its text items with their positions in millimetres from the page's top-left corner.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfTextItem {
  text: string;
  /** Left edge, mm from the left. */
  x: number;
  /** Baseline, mm from the top. */
  y: number;
}

export interface PdfPage {
  widthMm: number;
  heightMm: number;
  items: PdfTextItem[];
  /** Every item's text joined by newlines, in reading order. */
  text: string;
}

const MM_PER_PT = 25.4 / 72;

export async function pdfPages(bytes: Uint8Array): Promise<PdfPage[]> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const [, , width = 0, height = 0] = page.view;
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [, , , , e = 0, f = 0] = item.transform as number[];
        items.push({ text: item.str, x: e * MM_PER_PT, y: (height - f) * MM_PER_PT });
      }
      pages.push({
        widthMm: width * MM_PER_PT,
        heightMm: height * MM_PER_PT,
        items,
        text: items.map((i) => i.text).join('\n'),
      });
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}

/** The item whose text is exactly `text` (or throws, naming what the page has). */
export function itemOf(page: PdfPage, text: string): PdfTextItem {
  const found = page.items.find((i) => i.text === text);
  if (found === undefined) throw new Error(`no "${text}" on the page; it has:\n${page.text}`);
  return found;
}
