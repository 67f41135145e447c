// `aftercare deals import FILE.csv`: creates or updates deals from a CSV file (a CRM export), each
// with the plan its order will get; bad rows are reported as FILE:LINE: field: message and the
// rest imported.
import { compose } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { AftercareError } from '../errors.js';
import { readDealsCsv } from '../integrations/csv/deals.js';
import { fileSize } from '../integrations/csv/records.js';
import { formatRowError } from '../integrations/csv/rowError.js';
import { EXIT_OK, EXIT_REJECTED } from './exit.js';

export async function dealsImportCommand(file: string): Promise<number> {
  const config = loadConfig(process.env);
  await fileSize(file);
  const app = await compose(config);
  try {
    let created = 0;
    let updated = 0;
    let rejected = 0;
    for await (const row of readDealsCsv(file, config.policy.defaultTimezone)) {
      if (row.kind === 'error') {
        rejected += 1;
        process.stderr.write(`${formatRowError(row.error)}\n`);
        continue;
      }
      try {
        const { created: isNew } = await app.commands.deals.upsert(row.input);
        if (isNew) created += 1;
        else updated += 1;
      } catch (error) {
        if (!(error instanceof AftercareError) || error.code !== 'AFTERCARE_E_INPUT_INVALID') throw error;
        rejected += 1;
        const field = typeof error.details['field'] === 'string' ? error.details['field'] : '(row)';
        process.stderr.write(`${formatRowError({ file, line: row.line, field, message: error.message })}\n`);
      }
    }
    process.stdout.write(
      `${file}: ${created} deals created, ${updated} updated, ${rejected} rows rejected\n`,
    );
    return rejected > 0 ? EXIT_REJECTED : EXIT_OK;
  } finally {
    await app.close();
  }
}
