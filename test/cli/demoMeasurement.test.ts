// `aftercare serve --demo` as a business sees it before running `aftercare report`: back-filled
// months of orders, and holdout customers who are asked the measurement surveys and answer them,
// each answer tied to the measurement step's touch point. Read from the demo's own SQLite file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { spawnCli, workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

interface Answer {
  holdout: number;
  step: string;
}

describe('aftercare serve --demo: measurement surveys', () => {
  test('holdout customers are asked and answer; the history goes back months', async () => {
    // Half held out so a short run has enough of them; 1 s is 100 demo hours.
    const child = spawnCli(['serve', '--demo', '--orders', '40', '--speed', '360000'], {
      cwd: ws.dir,
      env: { AFTERCARE_PORT: '0', AFTERCARE_HOLDOUT: '50%' },
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.resume();
    const closed = once(child, 'close');
    const file = join(ws.dir, 'data', 'demo', 'aftercare.db');
    let answers: Answer[] = [];
    let oldest = Infinity;
    try {
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        await sleep(500);
        try {
          const db = new Database(file, { readonly: true, fileMustExist: true });
          try {
            answers = db
              .prepare(
                `SELECT c.holdout AS holdout, t.step_key AS step FROM events e
                 JOIN touch_points t ON t.id = json_extract(e.data, '$.touchPointId')
                 JOIN customers c ON c.id = e.customer_id
                 WHERE e.type = 'survey.answered'`,
              )
              .all() as Answer[];
            oldest =
              (db.prepare('SELECT MIN(placed_at) AS at FROM orders').get() as { at: number | null }).at ??
              Infinity;
          } finally {
            db.close();
          }
        } catch {
          // Not created or not migrated yet.
        }
        if (answers.some((a) => a.holdout === 1) && answers.some((a) => a.holdout === 0)) break;
      }
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    assert.ok(
      answers.some((a) => a.holdout === 1),
      `no holdout answers (${answers.length} answers) ${stderr.slice(0, 500)}`,
    );
    assert.ok(
      answers.some((a) => a.holdout === 0),
      'treated customers answer too',
    );
    // Every answer is to a measurement step of the built-in playbook.
    assert.ok(answers.every((a) => a.step === 'checkin-week' || a.step === 'checkin-month'));
    assert.ok(oldest < Date.now() - 200 * 86_400_000, 'orders go back more than 200 days');
  });
});
