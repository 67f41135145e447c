// `aftercare report`: whether the program works (lift against the holdout), what it did per
// playbook, version, step, segment and cohort, and where the gaps are; as terminal tables, one
// JSON object, or a self-contained HTML file. Reads the store at AFTERCARE_DB and changes nothing.
import { writeFile } from 'node:fs/promises';
import { composeStore } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { InvalidArgumentError } from 'commander';
import { isCalendarDay, type ReportQuery } from '../engine/commands/report.js';
import { foldMarkedDays } from '../engine/measureFold.js';
import { AftercareError } from '../errors.js';
import { formatReportHtml } from '../report/html.js';
import { presentReport } from '../report/present.js';
import { formatReportText } from '../report/text.js';
import { EXIT_OK } from './exit.js';

export const REPORT_FORMATS = ['text', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  format?: ReportFormat;
  out?: string;
  since?: string;
  until?: string;
  playbook?: string;
}

/** A `--since`/`--until` value: a real calendar day, or a usage error naming the flag. */
export function calendarDay(flag: string) {
  return (raw: string): string => {
    if (!isCalendarDay(raw)) throw new InvalidArgumentError(`${flag} must be a day such as 2026-03-01`);
    return raw;
  };
}

/** The format asked for; without one, what `--out`'s extension says, else text. */
export function reportFormat(options: Pick<ReportOptions, 'format' | 'out'>): ReportFormat {
  if (options.format !== undefined) return options.format;
  if (options.out !== undefined && /\.html?$/i.test(options.out)) return 'html';
  if (options.out !== undefined && /\.json$/i.test(options.out)) return 'json';
  return 'text';
}

/** The engine names the field (`since`); at the terminal the flag is named (`--since`). */
function asFlagError(error: unknown): unknown {
  if (!(error instanceof AftercareError) || typeof error.details.field !== 'string') return error;
  const { field } = error.details;
  const message = error.message.startsWith(`${field}: `)
    ? error.message.slice(field.length + 2)
    : error.message;
  return new AftercareError(error.code, `--${field}: ${message}`, { ...error.details, flag: `--${field}` });
}

export async function reportCommand(options: ReportOptions): Promise<number> {
  const config = loadConfig(process.env);
  // An existing store only: a mistyped AFTERCARE_DB is an error naming the path, not a new empty
  // database. (The report reads; it also stores the days counted for it, see below.)
  const app = await composeStore(config, { create: false });
  let output: string;
  try {
    const query: ReportQuery = {
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(options.playbook !== undefined ? { playbook: options.playbook } : {}),
    };
    // Days written since the workers last counted them are counted and kept first, so this and
    // the next report read stored days (without a worker running, nobody else keeps them).
    await foldMarkedDays(app.store.measuring, Number.POSITIVE_INFINITY);
    const report = await app.commands.reports.summary(query).catch((error: unknown) => {
      throw asFlagError(error);
    });
    const format = reportFormat(options);
    output =
      format === 'json'
        ? `${JSON.stringify(presentReport(report))}\n`
        : format === 'html'
          ? formatReportHtml(report)
          : formatReportText(report);
  } finally {
    await app.close();
  }
  if (options.out === undefined) {
    process.stdout.write(output);
    return EXIT_OK;
  }
  try {
    await writeFile(options.out, output, 'utf8');
  } catch (error) {
    throw new AftercareError(
      'AFTERCARE_E_FILE_NOT_FOUND',
      `--out ${options.out}: cannot write the report there (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { flag: '--out', file: options.out },
    );
  }
  process.stderr.write(`report written to ${options.out}\n`);
  return EXIT_OK;
}
