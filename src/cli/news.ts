// `aftercare news add|list`: the news items the mailing list's digest carries (docs/mailing-list.md).
// Works on an existing database only, as `keys` does.
import { readFile } from 'node:fs/promises';
import type { NewsItem } from '../store/ports/mailingList.js';
import { AftercareError } from '../errors.js';
import { textTable, withStoreApp } from './audit.js';
import { EXIT_OK, usageError } from './exit.js';

export async function newsAddCommand(options: {
  title: string;
  body?: string;
  bodyFile?: string;
  locale?: string;
  json?: boolean;
}): Promise<number> {
  if ((options.body === undefined) === (options.bodyFile === undefined))
    throw usageError('give the text with --body or --body-file (one of them)', { field: 'body' });
  let body = options.body ?? '';
  if (options.bodyFile !== undefined) {
    try {
      body = await readFile(options.bodyFile, 'utf8');
    } catch (error) {
      throw new AftercareError(
        'AFTERCARE_E_FILE_NOT_FOUND',
        `--body-file: cannot read ${options.bodyFile}`,
        {
          file: options.bodyFile,
          field: 'body-file',
        },
        { cause: error },
      );
    }
  }
  let item: NewsItem;
  try {
    item = await withStoreApp((app) =>
      app.commands.mailingList.addNews({ title: options.title, body, locale: options.locale ?? null }),
    );
  } catch (error) {
    // The command names the field; the CLI names its option.
    if (error instanceof AftercareError && error.code === 'AFTERCARE_E_INPUT_INVALID')
      throw usageError(`--${error.message}`, error.details);
    throw error;
  }
  if (options.json) process.stdout.write(`${JSON.stringify(item)}\n`);
  else
    process.stdout.write(
      `Added news item ${item.id}${item.locale ? ` (${item.locale} only)` : ''}; it goes out with the next digests.\n`,
    );
  return EXIT_OK;
}

export async function newsListCommand(options: { json?: boolean }): Promise<number> {
  const items = await withStoreApp((app) => app.commands.mailingList.listNews({ limit: 1000 }));
  if (options.json) process.stdout.write(`${JSON.stringify(items)}\n`);
  else if (items.length === 0) process.stdout.write('No news items: aftercare news add --title T --body B\n');
  else
    process.stdout.write(
      textTable(
        ['CREATED', 'LOCALE', 'ID', 'TITLE'],
        items.map((n) => [new Date(n.createdAt).toISOString(), n.locale ?? '-', n.id, n.title]),
      ),
    );
  return EXIT_OK;
}
