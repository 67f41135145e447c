// `aftercare stories check|list|match`: the story library story steps tell from
// (AFTERCARE_STORIES_DIR, docs/content.md "How to add a story"). `check` reads a folder and
// prints every problem as FILE:LINE:COL field: message, and which stories can never be told (no
// consent); `list` shows the stories; `match --order ID` says which story a stored order's
// customer would be told now and why, or that the step would be skipped (`no_story`).
import { composeStore } from '../app/compose.js';
import { formatIssue } from '../core/playbook/parse.js';
import { scoreStory, useCasesOf } from '../core/stories/match.js';
import type { Story } from '../core/stories/story.js';
import { loadConfig } from '../config.js';
import { readStoryDir, sampleStoriesDir } from '../config/stories.js';
import { storyReason } from '../templates/context.js';
import { EXIT_OK, EXIT_REJECTED, usageError } from './exit.js';
import { storyFor } from './templateSample.js';
import { findStep } from './templateStep.js';

function tags(story: Story): string {
  const { products, categories, segments, useCases } = story.tags;
  const parts = [
    products.length > 0 ? `products ${products.join(', ')}` : '',
    categories.length > 0 ? `categories ${categories.join(', ')}` : '',
    useCases.length > 0 ? `use cases ${useCases.join(', ')}` : '',
    segments.length > 0 ? `segments ${segments.join(', ')}` : '',
  ];
  return parts.filter((p) => p !== '').join('; ');
}

/** The folder asked for: --dir, --samples, else AFTERCARE_STORIES_DIR. */
function folder(options: { dir?: string; samples?: boolean }): string {
  if (options.dir !== undefined) return options.dir;
  if (options.samples === true) return sampleStoriesDir();
  const dir = process.env['AFTERCARE_STORIES_DIR']?.trim();
  if (!dir) {
    throw usageError(
      'no story folder: set AFTERCARE_STORIES_DIR, or give --dir DIR (or --samples for the built-in samples)',
    );
  }
  return dir;
}

export function storiesCheckCommand(options: { dir?: string; samples?: boolean }): number {
  const dir = folder(options);
  const read = readStoryDir(dir);
  if (!read.ok) {
    for (const issue of read.issues) process.stdout.write(`${formatIssue(issue)}\n`);
    process.stdout.write(`stories ${dir}: ${read.issues.length} problem(s)\n`);
    return EXIT_REJECTED;
  }
  const unconsented = read.stories.filter((s) => !s.consent.given);
  for (const story of unconsented) {
    process.stdout.write(
      `${story.file}: ${story.id} warning: no consent (consent.given: false): never told\n`,
    );
  }
  const told = read.stories.length - unconsented.length;
  process.stdout.write(
    `stories ${dir}: ${read.stories.length} valid, ${told} with consent, ${unconsented.length} never told\n`,
  );
  return EXIT_OK;
}

export function storiesListCommand(options: { dir?: string; samples?: boolean; json?: boolean }): number {
  const dir = folder(options);
  const read = readStoryDir(dir);
  if (!read.ok) {
    for (const issue of read.issues) process.stderr.write(`${formatIssue(issue)}\n`);
    return EXIT_REJECTED;
  }
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify({ dir, stories: read.stories }, null, 2)}\n`);
    return EXIT_OK;
  }
  for (const story of read.stories) {
    const consent = story.consent.given
      ? `consent by ${story.consent.by ?? '?'} on ${story.consent.on ?? '?'}`
      : 'NO CONSENT: never told';
    const sample = story.sample ? ' [sample]' : '';
    process.stdout.write(
      `${story.id} (${story.locale})${sample}: ${story.title}\n  ${tags(story)}\n  ${consent}\n`,
    );
  }
  process.stdout.write(`${read.stories.length} stories in ${dir}\n`);
  return EXIT_OK;
}

export async function storiesMatchCommand(options: {
  order: string;
  step: string;
  playbook?: string;
}): Promise<number> {
  const config = loadConfig(process.env);
  const found = await findStep(config, options.step, options.playbook);
  if (found.step.story !== true) {
    throw usageError(`step "${options.step}" tells no story (it has no \`story: true\`)`, {
      step: options.step,
    });
  }
  const app = await composeStore(config, { create: false });
  try {
    const order = await app.commands.customers.order(options.order);
    if (order === null)
      throw usageError(`--order: no order "${options.order}" in the store`, { order: options.order });
    const customer = await app.commands.customers.get(order.customerId);
    if (customer === null)
      throw usageError(`--order: order "${options.order}" has no customer in the store (erased?)`);
    const told = (await app.store.stories.toldTo([customer.id])).get(customer.id) ?? new Set<string>();
    const writtenIn = found.renderer.writtenIn(found.step.template, customer.locale ?? '');
    const library = config.stories.stories;
    const match = storyFor(found.step, library, customer, order, writtenIn, told);
    process.stdout.write(
      `order ${options.order}: customer ${customer.id}, ${order.segment}, e-mail in ${writtenIn}; ` +
        `told before: ${told.size === 0 ? 'none' : [...told].join(', ')}\n`,
    );
    if (match === null) {
      const reason =
        config.stories.dir === null ? 'no story library (AFTERCARE_STORIES_DIR is not set)' : 'no story fits';
      process.stdout.write(`no story: ${reason}; step ${options.step} would be skipped (no_story)\n`);
      return EXIT_OK;
    }
    process.stdout.write(
      `story ${match.story.id} (${match.story.file}), score ${match.score}\n` +
        `  ${storyReason(match.why, 'en')}\n  as the customer reads it: ${storyReason(match.why, writtenIn)}\n`,
    );
    const others = library
      .filter((s) => s.id !== match.story.id)
      .map((s) =>
        scoreStory(s, {
          segment: order.segment,
          items: order.items,
          useCases: useCasesOf(order.attributes, customer.attributes),
          locale: writtenIn,
          told,
        }),
      )
      .filter((m) => m !== null);
    if (others.length > 0) {
      process.stdout.write(`  next: ${others.map((m) => `${m.story.id} (${m.score})`).join(', ')}\n`);
    }
    return EXIT_OK;
  } finally {
    await app.close();
  }
}
