// The story library customer-story steps tell from (AFTERCARE_STORIES_DIR: a folder of `*.md`
// story files, docs/content.md). Read and checked once with the rest of the config, so a bad
// story stops start-up with every problem as FILE:LINE:COL field: message. Unset: no stories,
// and every story step is skipped (`no_story`): Aftercare never makes one up. The built-in
// folder (playbooks/stories) holds made-up samples for the demo and previews; `sample: true` is
// refused anywhere else, so a sample cannot reach a real customer by being copied.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from '../config.js';
import { formatIssue } from '../core/playbook/parse.js';
import { parseStory, type StoryIssue } from '../core/stories/parse.js';
import type { Story } from '../core/stories/story.js';
import { packagePath } from '../templates/paths.js';
import { text } from './env.js';

export const STORIES_ENV = {
  AFTERCARE_STORIES_DIR: text,
};

type StoriesEnv = { [K in keyof typeof STORIES_ENV]: z.output<(typeof STORIES_ENV)[K]> };

/** At most this many story files are read from a folder. */
export const MAX_STORY_FILES = 2000;

/** The built-in sample stories' folder (made up, for the demo and `template preview --sample`). */
export function sampleStoriesDir(): string {
  return packagePath(join('playbooks', 'stories'));
}

export interface StoryLibrary {
  /** The folder read, or null when none is configured. */
  dir: string | null;
  /** Every valid story, by file name; those without consent too (they are never told). */
  stories: Story[];
}

export type StoryDirResult = { ok: true; stories: Story[] } | { ok: false; issues: StoryIssue[] };

/** Every `*.md` file of `dir`, parsed; problems name file, line and field. */
export function readStoryDir(dir: string): StoryDirResult {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.md') && !f.startsWith('.') && f.toLowerCase() !== 'readme.md')
      .sort();
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    return {
      ok: false,
      issues: [{ file: dir, line: 1, column: 1, field: '', message: `cannot read the folder (${code})` }],
    };
  }
  if (files.length > MAX_STORY_FILES) {
    const message = `holds ${files.length} stories; at most ${MAX_STORY_FILES} are read`;
    return { ok: false, issues: [{ file: dir, line: 1, column: 1, field: '', message }] };
  }
  const builtIn = resolve(dir) === resolve(sampleStoriesDir());
  const issues: StoryIssue[] = [];
  const stories: Story[] = [];
  const ids = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      const code =
        typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
      issues.push({ file, line: 1, column: 1, field: '', message: `cannot read the file (${code})` });
      continue;
    }
    const parsed = parseStory(source, file);
    if (!parsed.ok) {
      issues.push(...parsed.issues);
      continue;
    }
    const story = parsed.story;
    const line = lineOf(source, /^\s*id\s*:/m);
    if (story.sample && !builtIn) {
      const line = lineOf(source, /^\s*sample\s*:/m);
      issues.push({
        file,
        line,
        column: 1,
        field: 'sample',
        message:
          'is a made-up sample story: only the built-in samples folder may hold one; tell your own customers’ stories',
      });
      continue;
    }
    const first = ids.get(story.id);
    if (first !== undefined) {
      issues.push({
        file,
        line,
        column: 1,
        field: 'id',
        message: `"${story.id}" is also the id of ${first}`,
      });
      continue;
    }
    ids.set(story.id, file);
    stories.push(story);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, stories };
}

function lineOf(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (match === null) return 1;
  return text.slice(0, match.index).split('\n').length;
}

/** The configured library; null (with issues) when a story is invalid. */
export function loadStories(values: Partial<StoriesEnv>, issues: ConfigIssue[]): StoryLibrary | null {
  const dir = values.AFTERCARE_STORIES_DIR ?? null;
  if (dir === null) return { dir: null, stories: [] };
  const read = readStoryDir(dir);
  if (read.ok) return { dir, stories: read.stories };
  for (const issue of read.issues)
    issues.push({ variable: 'AFTERCARE_STORIES_DIR', problem: formatIssue(issue) });
  return null;
}
