// `aftercare letters`: prints a day's letter tasks into one PDF, one page per letter, for window
// envelopes, and marks them printed so the next run does not print them again (--reprint does).
// A letter that cannot be posted is named on stderr with why, and its task stays as it was.
import { rename, writeFile } from 'node:fs/promises';
import { composeStore } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { dayWindow, formatIsoDay } from '../core/letters/day.js';
import { prepareLetter, type Letter } from '../core/letters/letter.js';
import type { Paper } from '../core/letters/layout.js';
import { renderLettersPdf } from '../letters/pdf.js';
import { EXIT_OK, EXIT_REJECTED, usageError } from './exit.js';
import { commandDay, commandZone } from './lettersDay.js';

export interface LettersOptions {
  date: string;
  out: string;
  zone?: string;
  paper: Paper;
  reprint?: boolean;
  json?: boolean;
}

/** The language dates are written in for a customer without a locale. */
const FALLBACK_LOCALE = 'en';

export async function lettersCommand(options: LettersOptions): Promise<number> {
  const config = loadConfig(process.env);
  const day = commandDay(options.date);
  const zone = commandZone(options.zone, config.policy.defaultTimezone);
  // Reads and marks only: a mistyped AFTERCARE_DB is an error naming the path, not a new database.
  const app = await composeStore(config, { create: false });
  try {
    const work = await app.commands.postal.due({
      kind: 'letter',
      ...dayWindow(day, zone),
      includePrinted: options.reprint === true,
    });
    const letters: Letter[] = [];
    const skipped: { taskId: string; problem: string; detail: string }[] = [];
    for (const item of work) {
      const prepared = prepareLetter({ ...item, day, fallbackLocale: FALLBACK_LOCALE });
      if (prepared.ok) letters.push(prepared.letter);
      else skipped.push({ taskId: prepared.taskId, problem: prepared.problem, detail: prepared.detail });
    }
    for (const s of skipped) {
      process.stderr.write(
        `letters: ${s.taskId}: not printed: ${s.detail} [${s.problem}]; the task stays open\n`,
      );
    }
    let marked = 0;
    if (letters.length > 0) {
      const pdf = await renderLettersPdf(letters, {
        paper: options.paper,
        business: config.business,
        createdAt: app.clock.now(),
        title: `Letters for ${formatIsoDay(day)}`,
      });
      // Written whole before anything is marked: a failed write leaves the letters to print.
      const partial = `${options.out}.partial`;
      try {
        await writeFile(partial, pdf);
        await rename(partial, options.out);
      } catch (error) {
        const code =
          typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
        throw usageError(`--out: cannot write "${options.out}" (${code}); nothing was marked printed`, {
          field: 'out',
        });
      }
      marked = await app.commands.postal.markPrinted(letters.map((l) => l.taskId));
    }
    const summary = {
      date: formatIsoDay(day),
      zone,
      paper: options.paper,
      out: letters.length > 0 ? options.out : null,
      printed: letters.map((l) => l.taskId),
      marked,
      notPrinted: skipped,
    };
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(describe(summary.date, zone, options, letters.length, skipped.length));
    return skipped.length > 0 ? EXIT_REJECTED : EXIT_OK;
  } finally {
    await app.close();
  }
}

function describe(
  date: string,
  zone: string,
  options: LettersOptions,
  printed: number,
  skipped: number,
): string {
  const envelope = options.paper === 'a4' ? 'A4, DIN 5008 form B windows' : 'US Letter, #10 window envelopes';
  const lines =
    printed === 0
      ? [
          `No letters to print for ${date} (${zone})${options.reprint ? '' : '; letters printed before are left out (--reprint prints them again)'}.`,
        ]
      : [
          `Printed ${printed} letter${printed === 1 ? '' : 's'} for ${date} (${zone}) to ${options.out} (${envelope}).`,
        ];
  if (skipped > 0)
    lines.push(
      `${skipped} letter${skipped === 1 ? '' : 's'} not printed (see above); their tasks stay open.`,
    );
  return `${lines.join('\n')}\n`;
}
