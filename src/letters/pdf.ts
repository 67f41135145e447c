// Prints letters (core/letters) into one PDF, one page each, with pdfkit. The text is set in
// DejaVu Sans (@fontsource/dejavu-sans), embedded as a subset: the PDF standard fonts only cover
// WinAnsi, which has no "ř" or "Ł", so names like Zoë Dvořák or towns like Łódź need a font of
// their own. Positions come from core/letters/layout.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { BusinessInfo } from '../core/business.js';
import type { Millis } from '../core/domain.js';
import type { Letter } from '../core/letters/letter.js';
import {
  PAGE_LAYOUTS,
  lineHeightFor,
  mmToPt,
  postalLines,
  type Box,
  type Paper,
} from '../core/letters/layout.js';
import { woffToSfnt } from './woff.js';

export interface LettersPdfOptions {
  paper: Paper;
  business: BusinessInfo;
  /** The PDF's creation date (metadata), so the same letters give the same file. */
  createdAt: Millis;
  title: string;
}

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;

function loadFonts(): { regular: Buffer; bold: Buffer } {
  const font = (weight: number): Buffer =>
    woffToSfnt(
      readFileSync(require.resolve(`@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-normal.woff`)),
    );
  fonts ??= { regular: font(400), bold: font(700) };
  return fonts;
}

const BODY_SIZE = 11;
const SMALLEST_BODY = 8;
const GREY = '#555555';

/** The PDF's bytes: one A4 or US Letter page per letter, in the order given. */
export function renderLettersPdf(letters: readonly Letter[], options: LettersPdfOptions): Promise<Buffer> {
  const layout = PAGE_LAYOUTS[options.paper];
  const doc = new PDFDocument({
    size: [mmToPt(layout.width), mmToPt(layout.height)],
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: options.title,
      Author: options.business.name,
      Creator: 'Aftercare',
      CreationDate: new Date(options.createdAt),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { regular, bold } = loadFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  for (const letter of letters) {
    doc.addPage();
    drawPage(doc, letter, options);
  }
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

function drawPage(doc: Doc, letter: Letter, options: LettersPdfOptions): void {
  const layout = PAGE_LAYOUTS[options.paper];
  const business = options.business;
  const postal = postalLines(business.postalAddress);

  // Letterhead: who writes.
  const head = pt(layout.letterhead);
  doc.font('bold').fontSize(14).fillColor('black');
  doc.text(business.name, head.x, head.y, { width: head.width, lineBreak: false, ellipsis: true });
  doc.font('regular').fontSize(9).fillColor(GREY);
  doc.text(postal.join(' · '), head.x, head.y + 20, { width: head.width, lineBreak: false, ellipsis: true });

  // Fold marks (and the punch mark) at the left edge.
  doc.lineWidth(0.5).strokeColor('#999999');
  for (const y of [...layout.foldMarks, ...(layout.punchMark === null ? [] : [layout.punchMark])]) {
    doc.moveTo(mmToPt(3), mmToPt(y)).lineTo(mmToPt(8), mmToPt(y)).stroke();
  }

  // The return address, one small line, underlined as return lines are.
  const back = pt(layout.returnLine);
  const returnLine = [business.name, ...postal].join(' · ');
  doc
    .font('regular')
    .fontSize(fitSize(doc, returnLine, back.width, 7, 5))
    .fillColor(GREY);
  doc.text(returnLine, back.x, back.y + 1, {
    width: back.width,
    lineBreak: false,
    ellipsis: true,
    underline: true,
  });

  // The recipient: every line inside the window, smaller type only when the address is long.
  const address = pt(layout.address);
  const lineHeight = lineHeightFor(address, letter.recipient.length, mmToPt(4.5));
  doc
    .font('regular')
    .fillColor('black')
    .fontSize(Math.min(10, lineHeight * 0.8));
  letter.recipient.forEach((line, i) => {
    doc.text(line, address.x, address.y + i * lineHeight, {
      width: address.width,
      lineBreak: false,
      ellipsis: true,
    });
  });

  // The date, in the customer's language.
  const date = pt(layout.date);
  doc.font('regular').fontSize(10).text(letter.date, date.x, date.y, { width: date.width, align: 'right' });

  drawBody(doc, letter, pt(layout.body), business);

  // Footer: how to reach the business.
  const foot = pt(layout.footer);
  const reach = [business.name, ...postal, business.supportEmail, business.supportPhone, business.website]
    .filter((part): part is string => part !== null && part !== '')
    .join(' · ');
  doc.font('regular').fontSize(7.5).fillColor(GREY);
  doc.text(reach, foot.x, foot.y, {
    width: foot.width,
    height: foot.height,
    align: 'center',
    ellipsis: true,
  });
}

/** The words, the closing and a line to sign on, at the largest size that fits the body box. */
function drawBody(doc: Doc, letter: Letter, box: Box, business: BusinessInfo): void {
  const signatureSpace = 60; // the closing's gap, the line and the name under it
  let size = BODY_SIZE;
  for (; size > SMALLEST_BODY; size -= 0.5) {
    if (bodyHeight(doc, letter, box.width, size) + signatureSpace <= box.height) break;
  }
  doc.font('regular').fontSize(size).fillColor('black');
  const gap = size * 0.6;
  const textHeight = Math.max(0, box.height - signatureSpace);
  doc.text('', box.x, box.y);
  for (const paragraph of letter.paragraphs) {
    const left = box.y + textHeight - doc.y;
    if (left <= size) break;
    doc.text(paragraph, box.x, doc.y, { width: box.width, height: left, ellipsis: true });
    doc.y += gap;
  }
  if (letter.closing !== null) doc.text(letter.closing, box.x, doc.y, { width: box.width });
  // The signature line, with the business under it.
  const lineY = Math.min(doc.y + 36, box.y + box.height - 14);
  doc.lineWidth(0.6).strokeColor('black');
  doc
    .moveTo(box.x, lineY)
    .lineTo(box.x + mmToPt(65), lineY)
    .stroke();
  doc.font('regular').fontSize(9).fillColor(GREY);
  doc.text(business.name, box.x, lineY + 3, { width: mmToPt(65), lineBreak: false, ellipsis: true });
}

function bodyHeight(doc: Doc, letter: Letter, width: number, size: number): number {
  doc.font('regular').fontSize(size);
  const texts = [...letter.paragraphs, ...(letter.closing === null ? [] : [letter.closing])];
  return texts.reduce((sum, text) => sum + doc.heightOfString(text, { width }) + size * 0.6, 0);
}

/** The largest size from `largest` down to `smallest` (0.5 pt steps) at which `text` fits `width`. */
function fitSize(doc: Doc, text: string, width: number, largest: number, smallest: number): number {
  for (let size = largest; size > smallest; size -= 0.5) {
    if (doc.fontSize(size).widthOfString(text) <= width) return size;
  }
  return smallest;
}

function pt(box: Box): Box {
  return { x: mmToPt(box.x), y: mmToPt(box.y), width: mmToPt(box.width), height: mmToPt(box.height) };
}
