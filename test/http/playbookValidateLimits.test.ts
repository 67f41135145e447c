// POST /api/v1/playbooks/validate under hostile YAML, on a real port: an alias bomb is a playbook
// problem (200, valid: false), never a 500; a 1 MB playbook is a 413 at once, and the server
// answers another request meanwhile; the largest playbook read still validates quickly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_PLAYBOOK_BYTES } from '../../src/core/playbook/parse.js';
import { openTestApp, type TestApp } from './harness.js';

let t: TestApp;
let base: string;
before(async () => {
  t = await openTestApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => t.close());

interface Answer {
  valid?: boolean;
  issues?: { message: string }[];
  error?: { code: string; message: string };
}

async function validate(yaml: string): Promise<{ status: number; json: Answer; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/playbooks/validate`, {
    method: 'POST',
    headers: { ...t.auth, 'content-type': 'application/yaml' },
    body: yaml,
  });
  const json = (await response.json()) as Answer;
  return { status: response.status, json, ms: performance.now() - started };
}

/** Ten levels of nine aliases each: 9^10 nodes once expanded. */
function aliasBomb(): string {
  const lines = [
    'name: bomb',
    'version: 1',
    'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ];
  for (let level = 1; level <= 10; level += 1) {
    const previous = `*l${level - 1}`;
    lines.push(`l${level}: &l${level} [${Array.from({ length: 9 }, () => previous).join(', ')}]`);
  }
  lines.push('steps: *l10');
  return lines.join('\n') + '\n';
}

/** A playbook of many steps, `bytes` long (each step is a valid one). */
function manySteps(bytes: number): string {
  let text = 'name: many\nversion: 1\nsteps:\n';
  for (let i = 0; text.length < bytes; i += 1) {
    text += `  - key: step-${i}\n    template: thank-you\n    channel: email\n    purpose: reassurance\n    timing: { after: ${i + 1}h, from: placed }\n`;
  }
  return text;
}

test('an alias bomb is an invalid playbook, not a 500', async () => {
  const answer = await validate(aliasBomb());
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  assert.equal(answer.json.valid, false);
  assert.match(answer.json.issues?.[0]?.message ?? '', /cannot be expanded.*at most 100 aliases/);
  assert.ok(answer.ms < 2000, `took ${Math.round(answer.ms)} ms`);
});

test('a 1 MB playbook is a 413 at once, and the server answers others meanwhile', async () => {
  const big = manySteps(1_000_000);
  const health = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    const response = await fetch(`${base}/healthz`);
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  })();
  const [answer, other] = await Promise.all([validate(big), health]);
  assert.equal(answer.status, 413);
  assert.equal(answer.json.error?.code, 'AFTERCARE_E_PAYLOAD_TOO_LARGE');
  assert.match(answer.json.error?.message ?? '', new RegExp(`at most ${MAX_PLAYBOOK_BYTES}`));
  assert.ok(answer.ms < 1000, `the 413 took ${Math.round(answer.ms)} ms`);
  assert.equal(other.status, 200);
  assert.ok(other.ms < 1000, `/healthz waited ${Math.round(other.ms)} ms`);
});

test('the largest playbook read validates in well under a second', async () => {
  const text = manySteps(MAX_PLAYBOOK_BYTES - 200);
  await validate(text); // warm the parser up, as a running server is
  const answer = await validate(text);
  assert.equal(answer.status, 200);
  assert.equal(answer.json.valid, true, JSON.stringify(answer.json.issues?.slice(0, 2)));
  assert.ok(answer.ms < 1000, `took ${Math.round(answer.ms)} ms`);
});
