// Which stories customers have been told, in memory: written by MemoryQueue with the send's
// outcome (records.storyTellings), read here.
import type { StoryStore, StoryTelling } from '../ports/stories.js';
import type { Records } from './records.js';
import { settle } from './settle.js';

export class MemoryStories implements StoryStore {
  constructor(private readonly records: Records) {}

  toldTo(customerIds: readonly string[]): Promise<Map<string, Set<string>>> {
    return settle(() => {
      const told = new Map<string, Set<string>>();
      for (const id of customerIds) {
        const mine = this.records.storyTellings.get(id);
        if (mine !== undefined && mine.size > 0) told.set(id, new Set(mine.keys()));
      }
      return told;
    });
  }

  tellings(customerId: string): Promise<StoryTelling[]> {
    return settle(() =>
      [...(this.records.storyTellings.get(customerId)?.values() ?? [])]
        .map((t) => ({ ...t }))
        .sort((a, b) => a.toldAt - b.toldAt || (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0)),
    );
  }
}
