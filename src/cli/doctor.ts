// `aftercare doctor [--strict] [--json]`: every go-live problem at once, each with what to do: an
// invalid configuration, what in a valid one would hurt customers (config/goLive.ts), and the
// store (reachable? made? migrated?). It only looks: a missing database is reported, not created,
// and nothing is migrated. Exit 1 when there is an error (or, with --strict, any problem).
import { loadConfig, type Config, type ConfigIssue } from '../config.js';
import { goLiveProblems, type GoLiveProblem } from '../config/goLive.js';
import { redactUrl } from '../config/redact.js';
import { AftercareError } from '../errors.js';
import { openStore } from '../store/open.js';
import { EXIT_OK, EXIT_REJECTED } from './exit.js';

async function storeProblems(config: Readonly<Config>): Promise<GoLiveProblem[]> {
  const db = redactUrl(config.db);
  let store;
  try {
    store = await openStore(config.db, { create: false, migrate: false });
  } catch (error) {
    if (error instanceof AftercareError && error.code === 'AFTERCARE_E_STORE_NOT_FOUND') {
      return [
        {
          severity: 'warning',
          variable: 'AFTERCARE_DB',
          problem: `names no Aftercare database yet: ${String(error.details.db)} (${String(error.details.why)})`,
          fix: '`aftercare migrate` creates it (serve does too); if you expected one there, AFTERCARE_DB is wrong',
        },
      ];
    }
    const message = error instanceof Error ? error.message : String(error);
    return [
      {
        severity: 'error',
        variable: 'AFTERCARE_DB',
        problem: `cannot be opened (${db}): ${message}`,
        fix: 'check that the database server is up, the credentials and the path or URL',
      },
    ];
  }
  try {
    const state = await store.schemaState();
    const problems: GoLiveProblem[] = [];
    if (state.unknown.length > 0) {
      problems.push({
        severity: 'error',
        variable: 'AFTERCARE_DB',
        problem: `holds a schema newer than this Aftercare (${state.unknown.join(', ')}): it will refuse to start`,
        fix: 'upgrade Aftercare to the version that made the database',
      });
    }
    if (state.pending.length > 0) {
      problems.push({
        severity: 'warning',
        variable: 'AFTERCARE_DB',
        problem: `has ${state.pending.length} migration(s) not applied yet (${state.pending.join(', ')})`,
        fix: '`aftercare migrate` applies them ahead of the deploy (serve and worker do on start)',
      });
    }
    return problems;
  } finally {
    await store.close();
  }
}

function configProblems(issues: readonly ConfigIssue[]): GoLiveProblem[] {
  return issues.map((issue) => ({
    severity: 'error',
    variable: issue.variable,
    problem: issue.problem,
    fix: 'fix the value (docs/configuration.md); nothing starts until it is valid',
  }));
}

function report(problems: readonly GoLiveProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return 'aftercare doctor: no problems found; ready to go live.\n';
  const lines = problems.map(
    (p) => `${p.severity.toUpperCase().padEnd(7)}  ${p.variable} ${p.problem}\n         -> ${p.fix}`,
  );
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `aftercare doctor: ${count(errors, 'error')}, ${count(warnings, 'warning')}\n${lines.join('\n')}\n`;
}

export async function doctorCommand(options: { strict?: boolean; json?: boolean }): Promise<number> {
  let problems: GoLiveProblem[];
  try {
    const config = loadConfig(process.env);
    problems = [...goLiveProblems(config), ...(await storeProblems(config))];
  } catch (error) {
    if (!(error instanceof AftercareError) || error.code !== 'AFTERCARE_E_CONFIG') throw error;
    problems = configProblems((error.details.issues ?? []) as ConfigIssue[]);
  }
  problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  process.stdout.write(options.json ? `${JSON.stringify({ problems })}\n` : report(problems));
  const failing = problems.some((p) => p.severity === 'error' || options.strict === true);
  return failing ? EXIT_REJECTED : EXIT_OK;
}
