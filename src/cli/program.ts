// The `aftercare` command line: every command and flag, declared in one place. Each command's
// work lives in its own file; this one parses arguments and turns outcomes into exit codes.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { packagePath } from '../templates/paths.js';
import { demoDataCommand } from './demoData.js';
import { doctorCommand } from './doctor.js';
import { describeError, exitCodeFor, EXIT_OK, EXIT_USAGE } from './exit.js';
import { importCommand } from './import.js';
import { dealsImportCommand } from './deals.js';
import { keysCreateCommand, keysListCommand, keysRevokeCommand } from './keys.js';
import {
  usersCreateCommand,
  usersDisableCommand,
  usersListCommand,
  type UsersCreateOptions,
} from './users.js';
import { actionsAddCommand, actionsDoneCommand, actionsListCommand } from './actions.js';
import { auditCompareCommand, auditImportCommand, auditListCommand } from './audit.js';
import { migrateCommand } from './migrate.js';
import { newsAddCommand, newsListCommand } from './news.js';
import { playbookListCommand, playbookShowCommand, playbookValidateCommand } from './playbook.js';
import { calendarDay, REPORT_FORMATS, reportCommand, type ReportOptions } from './report.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { statusCommand } from './status.js';
import { giftsCommand } from './gifts.js';
import { offersCodesImportCommand, offersListCommand } from './offers.js';
import { storiesCheckCommand, storiesListCommand, storiesMatchCommand } from './stories.js';
import { lettersCommand } from './letters.js';
import { PAPERS, type Paper } from '../core/letters/layout.js';
import { workerCommand } from './worker.js';
import { templatePreviewCommand, templateSendTestCommand, type PreviewOptions } from './template.js';
import { lintCommand } from './lint.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

function positiveInteger(name: string) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
    return Number(raw);
  };
}

function positiveNumber(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a number above 0');
  return value;
}

function isoTime(raw: string): number {
  const value = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(value)) {
    throw new InvalidArgumentError('must be an ISO 8601 time such as 2026-03-01T00:00:00Z');
  }
  return value;
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('aftercare')
    .description(
      'Post-sale reassurance: a personal, well-timed follow-up program for every customer after the sale.',
    )
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      setExitCode(await action(...args));
    };

  program
    .command('import')
    .description('import orders (and lifecycle events) from CSV into the store at AFTERCARE_DB')
    .argument('<orders.csv>', 'orders CSV: one row per line item')
    .option('--events <events.csv>', 'events CSV: order_id, type, at, data (imported after the orders)')
    .action(run((file: string, options: { events?: string }) => importCommand(file, options)));

  program
    .command('deals')
    .description('deals before their order: the plan each will get (docs/deals.md)')
    .command('import')
    .description('create or update deals from CSV; bad rows are reported as FILE:LINE: field')
    .argument(
      '<deals.csv>',
      'columns company, contact_email, contact_name, expected_close, amount, currency, segment ' +
        '(and deal_id, source, domain, contact_phone, locale, timezone, owner, kind, lead_days, products, stage)',
    )
    .action(run((file: string) => dealsImportCommand(file)));

  const playbook = program.command('playbook').description('check and inspect playbooks');
  playbook
    .command('validate')
    .description('check a playbook file; prints FILE:LINE:COL: field: message per problem')
    .argument('<file>', 'playbook YAML file')
    .action(run((file: string) => playbookValidateCommand(file)));
  playbook
    .command('list')
    .description('list the built-in and the configured playbooks')
    .action(run(() => playbookListCommand()));
  playbook
    .command('show')
    .description('show the steps of a playbook: when, how, and why')
    .argument('<name>', 'built-in name or YAML file')
    .action(run((name: string) => playbookShowCommand(name)));

  program
    .command('simulate')
    .description('run the playbooks over CSV orders on a virtual clock and show every touch point')
    .requiredOption('--orders <orders.csv>', 'orders CSV')
    .option('--events <events.csv>', 'events CSV')
    .option('--playbook <file|name...>', 'playbooks to run (default: AFTERCARE_PLAYBOOKS)')
    .option('--days <n>', 'days to simulate from the first event', positiveInteger('--days'), 60)
    .option('--json', 'print one JSON object {deliveries, summary} on stdout')
    .action(
      run((options: { orders: string; events?: string; playbook?: string[]; days: number; json?: boolean }) =>
        simulateCommand(options),
      ),
    );

  program
    .command('demo-data')
    .description('write realistic, varied demo orders as CSV (deterministic for a seed)')
    .requiredOption('--orders <n>', 'how many orders', positiveInteger('--orders'))
    .option('--out <orders.csv>', 'orders CSV to write', 'orders.csv')
    .option('--events <events.csv>', 'also write lifecycle events here (else they are orders columns)')
    .option('--seed <seed>', 'random seed', 'aftercare')
    .option('--start <iso>', 'orders are placed in the days before this (default: today 00:00 UTC)', isoTime)
    .option('--days <n>', 'spread orders over this many days before --start', positiveInteger('--days'), 30)
    .action(
      run(
        (options: {
          orders: number;
          out: string;
          events?: string;
          seed: string;
          start?: number;
          days: number;
        }) => demoDataCommand(options),
      ),
    );

  program
    .command('serve')
    .description('run the dispatcher (and, with --demo, a self-contained demo on a fast clock)')
    .option('--demo', 'fresh demo data in ./data/demo, generated orders fed in as virtual time passes')
    .addOption(
      new Option('--speed <factor>', 'demo clock speed: virtual seconds per real second')
        .default(3600)
        .argParser(positiveNumber),
    )
    .addOption(
      new Option('--orders <n>', 'demo orders to generate')
        .default(200)
        .argParser(positiveInteger('--orders')),
    )
    .option('--seed <seed>', 'demo random seed', 'demo')
    .action(
      run((options: { demo?: boolean; speed: number; orders: number; seed: string }) =>
        serveCommand(options),
      ),
    );

  program
    .command('worker')
    .description('dispatch only (scale-out): claim due touch points with leases until SIGINT/SIGTERM')
    .option('--batch <n>', 'touch points claimed per batch', positiveInteger('--batch'))
    .option('--concurrency <n>', 'sends in flight at once', positiveInteger('--concurrency'))
    .option(
      '--lease-seconds <n>',
      'how long a claim is held before others may take it over',
      positiveInteger('--lease-seconds'),
    )
    .option(
      '--max-unrecorded <n>',
      'sends out before their outcomes are written (the most a crash can repeat; default AFTERCARE_MAX_UNRECORDED)',
      positiveInteger('--max-unrecorded'),
    )
    .action(
      run(
        (options: { batch?: number; concurrency?: number; leaseSeconds?: number; maxUnrecorded?: number }) =>
          workerCommand(options),
      ),
    );

  program
    .command('migrate')
    .description('create or upgrade the store schema at AFTERCARE_DB (every command also does this on start)')
    .action(run(() => migrateCommand()));

  const keys = program.command('keys').description('API keys for the HTTP API (/api/v1)');
  keys
    .command('create')
    .description('create a key and print it once; only its hash is stored')
    .requiredOption('--name <name>', 'what the key is for, e.g. shopify-sync')
    .option(
      '--scope <scopes...>',
      'what it may do, comma-separated: read, write, tasks, privacy (default: read)',
    )
    .option('--expires <when>', 'when it stops working: a duration from now (90d) or a date (2027-03-01)')
    .action(
      run((options: { name: string; scope?: string[]; expires?: string }) => keysCreateCommand(options)),
    );
  keys
    .command('list')
    .description('list keys: id, status, scopes, created, expires, last used, revoked, name (never the key)')
    .option('--json', 'print the list as JSON')
    .action(run((options: { json?: boolean }) => keysListCommand(options)));
  keys
    .command('revoke')
    .description('revoke a key at once; requests with it get 401 from then on')
    .argument('<id>', 'the key id from keys list (or the key itself)')
    .action(run((id: string) => keysRevokeCommand(id)));

  const offers = program
    .command('offers')
    .description('insider offers: their windows and code pools (AFTERCARE_OFFERS_FILE, docs/content.md)');
  offers
    .command('list')
    .description('every offer: codes available, given and redeemed, and its early-access window')
    .option('--json', 'print {offers} as JSON')
    .action(run((options: { json?: boolean }) => offersListCommand(options)));
  offers
    .command('codes')
    .description("an offer's single-use codes")
    .command('import')
    .description("add the shop's codes to an imported offer's pool; all or nothing")
    .argument('<file.csv>', 'a code column (any other columns are ignored)')
    .requiredOption('--offer <id>', 'the offer the codes belong to')
    .action(run((file: string, options: { offer: string }) => offersCodesImportCommand(file, options)));
  const users = program
    .command('users')
    .description('people who sign in to the dashboard (docs/dashboard.md)');
  users
    .command('create')
    .description('create a user; the password is read from stdin, or generated and printed once')
    .requiredOption('--email <address>', 'their e-mail address, used to sign in')
    .requiredOption('--role <role>', 'owner, manager, rep or viewer (docs/dashboard.md: who may do what)')
    .option('--name <name>', 'the name shown in the dashboard')
    .option('--zone <zone>', 'IANA time zone their times are shown in (default: AFTERCARE_TIMEZONE)')
    .option('--password-stdin', 'read the password (at least 12 characters) from the first line of stdin')
    .action(run((options: UsersCreateOptions) => usersCreateCommand(options)));
  users
    .command('list')
    .description('list users: address, role, status, created, zone, name (never the password hash)')
    .option('--json', 'print the list as JSON')
    .action(run((options: { json?: boolean }) => usersListCommand(options)));
  users
    .command('disable')
    .description('disable a user at once: they cannot sign in and their sessions end')
    .argument('<email>', 'their address')
    .action(run((email: string) => usersDisableCommand(email)));

  const audit = program
    .command('audit')
    .description('team audits of the interaction catalogue (docs/gaps.md)');
  audit
    .command('import')
    .description("import a team's audit; all or nothing, and it replaces the team's earlier one")
    .argument('<file.csv>', 'columns interaction, importance (1-5), performance (1-5), note')
    .requiredOption('--team <name>', 'the team whose view it is')
    .action(run((file: string, options: { team: string }) => auditImportCommand(file, options)));
  audit
    .command('list')
    .description("every team's audit: team, interaction, importance, performance, note")
    .option('--json', 'print {teams, entries} as JSON')
    .action(run((options: { json?: boolean }) => auditListCommand(options)));
  audit
    .command('compare')
    .description("how far two teams agree (Krippendorff's alpha) and where they disagree most")
    .argument('<teamA>')
    .argument('<teamB>')
    .option('--json', 'print the comparison as JSON')
    .action(
      run((teamA: string, teamB: string, options: { json?: boolean }) =>
        auditCompareCommand(teamA, teamB, options),
      ),
    );

  const actions = program.command('actions').description('action items that close gaps (docs/gaps.md)');
  actions
    .command('list')
    .description('action items, oldest first')
    .option('--status <status>', 'open or done')
    .option('--json', 'print the list as JSON')
    .action(run((options: { status?: string; json?: boolean }) => actionsListCommand(options)));
  actions
    .command('add')
    .description('add an action item for an interaction of the catalogue')
    .requiredOption('--interaction <id>', 'the interaction it closes a gap in')
    .requiredOption('--title <title>', 'what is to be done')
    .requiredOption('--owner <owner>', 'who does it')
    .requiredOption('--due <date>', 'by when, e.g. 2027-03-01')
    .option('--json', 'print the new item as JSON')
    .action(
      run((options: { interaction: string; title: string; owner: string; due: string; json?: boolean }) =>
        actionsAddCommand(options),
      ),
    );
  actions
    .command('done')
    .description('mark an action item done, with the playbook version that addressed it')
    .argument('<id>', 'the action id from actions list')
    .option(
      '--playbook-version <name@version>',
      'the playbook version whose change closed it, e.g. reassure@4',
    )
    .action(run((id: string, options: { playbookVersion?: string }) => actionsDoneCommand(id, options)));

  const news = program.command('news').description("the mailing list's news items (docs/mailing-list.md)");
  news
    .command('add')
    .description('add a news item for the next digests')
    .requiredOption('--title <title>', 'the headline (1-200 characters)')
    .option('--body <text>', 'the text (1-5000 characters)')
    .option('--body-file <path>', 'read the text from a UTF-8 file instead')
    .option('--locale <lang>', 'only for subscribers of this language: en, de, fr or es')
    .option('--json', 'print the new item as JSON')
    .action(
      run((options: { title: string; body?: string; bodyFile?: string; locale?: string; json?: boolean }) =>
        newsAddCommand(options),
      ),
    );
  news
    .command('list')
    .description('the news items, oldest first')
    .option('--json', 'print the list as JSON')
    .action(run((options: { json?: boolean }) => newsListCommand(options)));

  program
    .command('doctor')
    .description(
      'list every go-live problem (configuration, mail, links, store) with what to do; exit 1 on an error',
    )
    .option('--strict', 'exit 1 on warnings too')
    .option('--json', 'print {"problems": [{severity, variable, problem, fix}]}')
    .action(run((options: { strict?: boolean; json?: boolean }) => doctorCommand(options)));

  program
    .command('status')
    .description('counts from the store: customers, orders, events, touch points and tasks')
    .option('--json', 'print the counts as JSON')
    .action(run((options: { json?: boolean }) => statusCommand(options)));

  program
    .command('letters')
    .description(
      "print the day's letter tasks into one PDF (one page each, for window envelopes) and mark them printed",
    )
    .requiredOption('--date <YYYY-MM-DD>', 'the day whose letters to print')
    .requiredOption('--out <letters.pdf>', 'the PDF to write')
    .option('--zone <zone>', 'the zone the day is in (default: AFTERCARE_TIMEZONE)')
    .addOption(
      new Option('--paper <paper>', 'a4 (DIN 5008 B) or letter (US, #10 window)')
        .choices(PAPERS)
        .default('a4'),
    )
    .option('--reprint', 'also print letters printed before')
    .option('--json', 'print {date, zone, paper, out, printed, marked, notPrinted} as JSON')
    .action(
      run(
        (options: {
          date: string;
          out: string;
          zone?: string;
          paper: Paper;
          reprint?: boolean;
          json?: boolean;
        }) => lettersCommand(options),
      ),
    );

  program
    .command('gifts')
    .description("list the day's gift tasks: where to send each, the budget and the catalogue's suggestions")
    .requiredOption('--date <YYYY-MM-DD>', 'the day whose gift tasks to list')
    .option('--zone <zone>', 'the zone the day is in (default: AFTERCARE_TIMEZONE)')
    .option('--json', 'print {date, zone, gifts} as JSON')
    .action(run((options: { date: string; zone?: string; json?: boolean }) => giftsCommand(options)));

  const stories = program
    .command('stories')
    .description('the customer stories story steps tell (AFTERCARE_STORIES_DIR, docs/content.md)');
  stories
    .command('check')
    .description('check every story file; prints FILE:LINE:COL field: message, and stories without consent')
    .option('--dir <folder>', 'the folder to check (default: AFTERCARE_STORIES_DIR)')
    .option('--samples', 'check the built-in sample stories')
    .action(
      run((options: { dir?: string; samples?: boolean }) => Promise.resolve(storiesCheckCommand(options))),
    );
  stories
    .command('list')
    .description('list the stories: language, tags and consent')
    .option('--dir <folder>', 'the folder to list (default: AFTERCARE_STORIES_DIR)')
    .option('--samples', 'list the built-in sample stories')
    .option('--json', 'print {dir, stories} as JSON')
    .action(
      run((options: { dir?: string; samples?: boolean; json?: boolean }) =>
        Promise.resolve(storiesListCommand(options)),
      ),
    );
  stories
    .command('match')
    .description("which story a stored order's customer would be told now, and why (or that none fits)")
    .requiredOption('--order <id>', 'the stored order (AFTERCARE_DB, read only)')
    .option('--step <key>', 'the story step', 'customer-story')
    .option('--playbook <file|name>', 'playbook of the step (default: the configured one that has it)')
    .action(
      run((options: { order: string; step: string; playbook?: string }) => storiesMatchCommand(options)),
    );

  const template = program.command('template').description("see a step's message before a customer does");
  template
    .command('preview')
    .description('print the rendered subject and body of a step (the sample customer, or a stored order)')
    .argument('<step>', 'step key, e.g. checkin-week')
    .option('--playbook <file|name>', 'playbook of the step (default: the configured one that has it)')
    .option('--order <id>', 'render for this stored order (AFTERCARE_DB, read only)')
    .option('--sample', 'render for the sample customer and order (the default)')
    .option('--locale <locale>', "the customer's locale, e.g. de or fr-CA")
    .addOption(
      new Option('--format <format>', 'text (subject and text part) or html (the HTML part)')
        .choices(['text', 'html'])
        .default('text'),
    )
    .action(run((step: string, options: PreviewOptions) => templatePreviewCommand(step, options)));
  template
    .command('send-test')
    .description('send a step rendered for the sample customer to ADDRESS, marked [TEST]; records nothing')
    .argument('<step>', 'step key, e.g. thank-you')
    .requiredOption('--to <address>', 'where to send it')
    .option('--playbook <file|name>', 'playbook of the step (default: the configured one that has it)')
    .option('--locale <locale>', "the sample customer's locale, e.g. de")
    .action(
      run((step: string, options: { to: string; playbook?: string; locale?: string }) =>
        templateSendTestCommand(step, options),
      ),
    );

  program
    .command('lint')
    .description(
      'check the wording of every step in every locale; FILE:LINE: rule severity: message; exit 1 on an error',
    )
    .argument(
      '[playbook...]',
      'playbooks to check (built-in name or YAML file; default: AFTERCARE_PLAYBOOKS)',
    )
    .option('--json', 'print {"findings": [...]} instead of lines')
    .action(run((playbooks: string[], options: { json?: boolean }) => lintCommand(playbooks, options)));

  program
    .command('report')
    .description(
      'does the program work? lift against the holdout, metrics per playbook, version, step, segment and week, and the gaps',
    )
    .addOption(
      new Option(
        '--format <format>',
        'text tables, one JSON object, or a self-contained HTML file (default: from --out, else text)',
      ).choices(REPORT_FORMATS),
    )
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option(
      '--since <day>',
      'orders placed on or after this UTC day, e.g. 2026-03-01',
      calendarDay('--since'),
    )
    .option('--until <day>', 'orders placed on or before this UTC day', calendarDay('--until'))
    .option('--playbook <name>', 'only this playbook')
    .action(run((options: ReportOptions) => reportCommand(options)));

  return program;
}

/** Runs the CLI; resolves to the exit code. Expected failures print one line, never a stack. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((value) => (code = value));
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the help, the version or the usage problem.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    process.stderr.write(`${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}
