// `aftercare letters` and `aftercare gifts` over a real SQLite file whose tasks the real engine
// made: the PDF read back page by page, tasks marked printed and not printed twice, --reprint,
// a letter without an address reported and left open, gift budgets by value tier.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pdfPages } from '../../src/letters/pdfText.test-helpers.js';
import { openStore } from '../../src/store/open.js';
import { address, buildPostalStore, DUE_DAY, postalEnv } from './postalWorld.js';
import { runCli, type CliResult } from './run.js';

let dir: string;
let env: Record<string, string>;

const ZOE = 'task:reassure:A1:thank-you-letter';
const ANA = 'task:reassure:B1:thank-you-letter';
const KENJI = 'task:reassure:J1:thank-you-letter';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-letters-'));
  env = postalEnv(dir);
  await buildPostalStore(env, [
    {
      order: 'A1',
      email: 'zoe@example.com',
      firstName: 'Zoë',
      lastName: 'Dvořák',
      locale: 'pl-PL',
      timezone: 'Europe/Warsaw',
      currency: 'EUR',
      total: 800,
      address: address({
        name: 'Zoë Dvořák',
        line1: 'ul. Piotrkowska 104',
        postalCode: '90-926',
        city: 'Łódź',
        country: 'Poland',
      }),
    },
    {
      order: 'B1',
      email: 'ana@example.com',
      firstName: 'Ana',
      lastName: 'Müller',
      locale: 'de-DE',
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      total: 600,
      address: address({
        line1: 'Straße des 17. Juni 1',
        postalCode: '10623',
        city: 'Berlin',
        country: 'Germany',
      }),
    },
    {
      order: 'J1',
      email: 'kenji@example.com',
      firstName: 'Kenji',
      lastName: 'Sato',
      locale: 'ja-JP',
      timezone: 'Asia/Tokyo',
      currency: 'JPY',
      total: 100_000,
      address: null,
    },
    {
      order: 'S1',
      email: 'sam@example.com',
      firstName: 'Sam',
      lastName: 'Small',
      locale: null,
      timezone: 'Europe/Berlin',
      currency: 'USD',
      total: 50,
      address: address({ line1: '1 Small St', city: 'Springfield' }),
    },
  ]);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<CliResult> {
  return runCli(args, { cwd: dir, env });
}

interface LettersJson {
  out: string | null;
  printed: string[];
  marked: number;
  notPrinted: { taskId: string; problem: string }[];
}

function json<T>(result: CliResult): T {
  return JSON.parse(result.stdout) as T;
}

async function letterTasks(printed: boolean) {
  const store = await openStore(env.AFTERCARE_DB!, { create: false });
  try {
    return (await store.tasks.list({ kind: 'letter', printed })).map((t) => [t.id, t.status]);
  } finally {
    await store.close();
  }
}

describe('aftercare letters', () => {
  test("prints the day's letters, one page each, reports the one without an address", async () => {
    const result = await cli('letters', '--date', DUE_DAY, '--out', 'letters.pdf', '--json');
    assert.equal(result.code, 1, result.stderr);
    const summary = json<LettersJson>(result);
    assert.deepEqual(summary.printed, [ZOE, ANA]);
    assert.equal(summary.marked, 2);
    assert.deepEqual(
      summary.notPrinted.map((n) => [n.taskId, n.problem]),
      [[KENJI, 'no_address']],
    );
    assert.match(
      result.stderr,
      /^letters: task:reassure:J1:thank-you-letter: not printed: the order has no shipping address \[no_address\]; the task stays open$/m,
    );

    const pages = await pdfPages(await readFile(join(dir, 'letters.pdf')));
    assert.equal(pages.length, 2);
    const [zoe, ana] = pages as [(typeof pages)[0], (typeof pages)[0]];
    for (const line of [
      'Zoë Dvořák',
      'ul. Piotrkowska 104',
      '90-926 Łódź',
      'Poland',
      '3 czerwca 2026',
      'Dear Zoë,',
      'With thanks,',
    ]) {
      assert.ok(
        zoe.items.some((i) => i.text === line),
        `no "${line}" on the first page:\n${zoe.text}`,
      );
    }
    // The words as the template rendered them, without the notes for the sender.
    assert.match(zoe.text, /thank you for choosing Lumen Lamps/);
    assert.doesNotMatch(zoe.text, /Why:|<your name>|Send it to/);
    // The return address and the signature line's name.
    assert.match(zoe.text, /Lumen Lamps · Hauptstraße 5 · 10115 Berlin · Germany/);
    // Ana's address has no name line: her name heads it; her date and her letter are German.
    for (const line of [
      'Ana Müller',
      'Straße des 17. Juni 1',
      '10623 Berlin',
      '3. Juni 2026',
      'Hallo Ana,',
    ]) {
      assert.ok(
        ana.items.some((i) => i.text === line),
        `no "${line}" on the second page:\n${ana.text}`,
      );
    }

    assert.deepEqual(await letterTasks(true), [
      [ZOE, 'open'],
      [ANA, 'open'],
    ]);
    assert.deepEqual(await letterTasks(false), [[KENJI, 'open']]);
  });

  test('a second run prints nothing; --reprint prints them again', async () => {
    const again = await cli('letters', '--date', DUE_DAY, '--out', 'again.pdf');
    assert.equal(again.code, 1, again.stderr);
    assert.match(
      again.stdout,
      /No letters to print for 2026-06-03 \(Europe\/Berlin\); letters printed before are left out/,
    );
    assert.match(again.stdout, /1 letter not printed \(see above\)/);
    assert.equal(existsSync(join(dir, 'again.pdf')), false);

    const reprint = await cli(
      'letters',
      '--date',
      DUE_DAY,
      '--out',
      'reprint.pdf',
      '--paper',
      'letter',
      '--reprint',
      '--json',
    );
    assert.deepEqual(json<LettersJson>(reprint).printed, [ZOE, ANA]);
    const pages = await pdfPages(await readFile(join(dir, 'reprint.pdf')));
    assert.equal(pages.length, 2);
    assert.ok(Math.abs(pages[0]!.heightMm - 279.4) < 0.1, 'US Letter');
  });

  test("the day is the business's, or the zone's given", async () => {
    // Due 2026-06-03 12:00 UTC: 2026-06-04 02:00 on Kiritimati (UTC+14).
    const elsewhere = await cli('letters', '--date', '2026-06-04', '--out', 'k.pdf', '--reprint', '--json');
    assert.deepEqual(json<LettersJson>(elsewhere).printed, []);
    const kiritimati = await cli(
      'letters',
      '--date',
      '2026-06-04',
      '--zone',
      'Pacific/Kiritimati',
      '--out',
      'k.pdf',
      '--reprint',
      '--json',
    );
    assert.deepEqual(json<LettersJson>(kiritimati).printed, [ZOE, ANA]);
  });

  test('bad input and a missing store are usage errors; nothing is created', async () => {
    const badDate = await cli('letters', '--date', '2026-13-01', '--out', 'x.pdf');
    assert.equal(badDate.code, 2);
    assert.match(
      badDate.stderr,
      /--date: "2026-13-01" is not a date like 2026-12-03 \[AFTERCARE_E_INPUT_INVALID\]/,
    );
    const badOut = await cli(
      'letters',
      '--date',
      DUE_DAY,
      '--out',
      join('no-such-folder', 'x.pdf'),
      '--reprint',
    );
    assert.equal(badOut.code, 2);
    assert.match(badOut.stderr, /--out: cannot write ".*x\.pdf" \(ENOENT\); nothing was marked printed/);
    const badZone = await cli('gifts', '--date', DUE_DAY, '--zone', 'Mars/Base');
    assert.equal(badZone.code, 2);
    const missing = join(dir, 'nowhere.db');
    const result = await runCli(['letters', '--date', DUE_DAY, '--out', 'x.pdf'], {
      cwd: dir,
      env: { ...env, AFTERCARE_DB: missing },
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /AFTERCARE_E_STORE_NOT_FOUND/);
    assert.equal(existsSync(missing), false);
    assert.equal(existsSync(join(dir, 'x.pdf')), false);
  });
});

describe('aftercare gifts', () => {
  interface GiftsJson {
    gifts: {
      taskId: string;
      address: string[] | null;
      order: { totalBase: number | null } | null;
      budget: { tier: string; amount: number; currency: string } | null;
      suggestions: { name: string; cost: number }[];
    }[];
  }

  test("lists the day's gift tasks with address, budget by tier and suggestions", async () => {
    const result = await cli('gifts', '--date', DUE_DAY, '--json');
    assert.equal(result.code, 0, result.stderr);
    const { gifts } = json<GiftsJson>(result);
    assert.deepEqual(
      gifts.map((g) => [g.taskId, g.order?.totalBase, g.budget?.tier, g.budget?.amount]),
      [
        ['task:reassure:A1:thank-you-gift', 880, 'large', 60],
        ['task:reassure:B1:thank-you-gift', 660, 'large', 60],
        // JPY 100,000 is 650 USD with JPY=0.0065: the large tier, not the biggest number.
        ['task:reassure:J1:thank-you-gift', 650, 'large', 60],
      ],
    );
    assert.deepEqual(gifts[0]!.address, ['Zoë Dvořák', 'ul. Piotrkowska 104', '90-926 Łódź', 'Poland']);
    assert.equal(gifts[2]!.address, null);
    assert.ok(gifts.every((g) => g.suggestions.length > 0 && g.suggestions.every((s) => s.cost <= 60)));

    const text = await cli('gifts', '--date', DUE_DAY);
    assert.match(text.stdout, /Send to: no shipping address on file/);
    assert.match(text.stdout, /Budget: 60 USD \(tier large; order 650\.00 USD\)/);
  });

  test("the gift task's own script names the budget and the suggestions", async () => {
    const store = await openStore(env.AFTERCARE_DB!, { create: false });
    try {
      const task = await store.tasks.get('task:reassure:J1:thank-you-gift');
      assert.match(
        task?.script ?? '',
        /Gift budget: 60 USD \(tier "large": orders up to 2000 USD; this order 650 USD\)\.\nSuggested from the gift catalogue:\n {2}- /,
      );
    } finally {
      await store.close();
    }
  });
});
