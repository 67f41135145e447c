// The built-in playbook's measurement surveys: which steps reach the holdout group, and that their
// templates carry the question and basic service only, never the program's content, so a treated
// and a held-out customer are asked with the same, neutral words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinPlaybookNames, loadPlaybooks } from '../../src/app/playbooks.js';

/** What only the program gives: tips, stories, offers, reviews, the plan, the program's name. */
const PROGRAM_CONTENT = /links\.plan|\btips?\b|\bstory\b|\boffers?\b|\breview\b|insider|aftercare/i;

test('reassure asks both groups the week CSAT and the month NPS, with neutral templates', async () => {
  const { playbooks, renderer } = await loadPlaybooks(await builtinPlaybookNames());
  const reassure = playbooks.find((p) => p.name === 'reassure')!;
  const measured = reassure.steps.filter((s) => s.measurement === true);
  assert.deepEqual(
    measured.map((s) => [s.key, s.survey]),
    [
      ['checkin-week', 'csat'],
      ['checkin-month', 'nps'],
    ],
  );
  // Far enough apart that the survey interval (14 days) never holds one back for the other.
  const [week, month] = measured;
  assert.ok(month!.timing.offsetMs - week!.timing.offsetMs >= 14 * 86_400_000);
  for (const playbook of playbooks) {
    for (const step of playbook.steps.filter((s) => s.measurement === true)) {
      const source = renderer.sources([step.template])[step.template]!;
      assert.ok(source.length > 0, step.template);
      assert.doesNotMatch(source, PROGRAM_CONTENT, `${playbook.name}/${step.key}: ${step.template}`);
      assert.match(source, /survey\.links/, 'it asks the question');
    }
  }
});
