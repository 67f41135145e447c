// `aftercare offers list|codes import`: the insider offers of AFTERCARE_OFFERS_FILE with their
// pools, and importing the shop's codes into an imported offer's pool. An import is all or
// nothing: a file with any problem imports nothing and every problem is printed as
// FILE:LINE: field: message. Works on an existing database only, as `audit` does.
import { readFile } from 'node:fs/promises';
import { formatCodesIssue } from '../core/offers/codesCsv.js';
import { AftercareError } from '../errors.js';
import { withStoreApp } from './audit.js';
import { EXIT_OK, usageError } from './exit.js';

export async function offersListCommand(options: { json?: boolean }): Promise<number> {
  const offers = await withStoreApp((app) => app.commands.offers.list());
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ offers })}\n`);
    return EXIT_OK;
  }
  if (offers.length === 0) {
    process.stdout.write(
      'No insider offers: set AFTERCARE_OFFERS_FILE (docs/content.md, "Insider offers").\n',
    );
    return EXIT_OK;
  }
  const lines = offers.map((o) => {
    const pool = o.source === 'imported' ? `${o.available} available, ` : 'generated, ';
    const window = `insiders ${new Date(o.insidersFrom).toISOString()}, public ${new Date(o.publicFrom).toISOString()}`;
    const empty = o.source === 'imported' && o.available === 0 ? '  <- no codes left: import more' : '';
    // Sent -> redeemed: how many of the codes given went into an order.
    const rate = o.assigned === 0 ? '' : ` (${Math.round((100 * o.redeemed) / o.assigned)}%)`;
    return `${o.id}: ${pool}${o.assigned} given, ${o.redeemed} redeemed${rate} (${window})${empty}`;
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

export async function offersCodesImportCommand(file: string, options: { offer: string }): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AftercareError('AFTERCARE_E_FILE_NOT_FOUND', `cannot read ${file}`, { file }, { cause: error });
  }
  const result = await withStoreApp((app) => app.commands.offers.importCodes(options.offer, text, file));
  if (!result.ok) {
    switch (result.why) {
      case 'no_offers':
        throw new AftercareError(
          'AFTERCARE_E_CONFIG',
          'there are no insider offers: set AFTERCARE_OFFERS_FILE (docs/content.md)',
          { variable: 'AFTERCARE_OFFERS_FILE' },
        );
      case 'unknown_offer':
        throw usageError(`--offer ${options.offer} is not an offer (known: ${result.known.join(', ')})`, {
          field: 'offer',
        });
      case 'not_imported':
        throw usageError(`offer ${options.offer} generates its own codes (codes: { source: generated })`, {
          field: 'offer',
        });
      case 'invalid_file': {
        const count = result.issues.length === 1 ? '1 problem' : `${result.issues.length} problems`;
        throw new AftercareError(
          'AFTERCARE_E_CSV_INVALID',
          `${file} has ${count}; nothing was imported:\n${result.issues.map(formatCodesIssue).join('\n')}`,
          { file, issues: result.issues },
        );
      }
    }
  }
  const known =
    result.existing.length === 0
      ? ''
      : ` ${result.existing.length} already known, not added again: ${result.existing.slice(0, 10).join(', ')}${result.existing.length > 10 ? ', ...' : ''}.`;
  process.stdout.write(`Imported ${result.added} code(s) into offer ${result.offerId}.${known}\n`);
  return EXIT_OK;
}
