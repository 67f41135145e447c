// Customer stories end to end: the real dispatcher, a SQLite store, the default customer-story
// templates and the e-mail channel sending to a real SMTP server (smtp-server on 127.0.0.1).
// A repeat customer gets two different stories, each with why it was chosen; a buyer whose
// purchase no story is like gets no message at all (skipped `no_story`), and a send repeated
// after its outcome was lost tells the same story again under the same Message-ID.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEmailChannel } from '../../src/channels/email.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { DEFAULT_POLICY_CONFIG } from '../../src/core/policy/decide.js';
import type { Story } from '../../src/core/stories/story.js';
import { readStoryDir } from '../../src/config/stories.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { Dispatcher } from '../../src/engine/dispatcher.js';
import { smtpReceiver, type SmtpReceiver } from '../../src/channels/staffServers.test-helpers.js';
import { BUSINESS, customer, DAY, openWorld, order, seed, step, T0, type World } from '../support/world.js';

const STORIES: Record<string, string> = {
  'home.md': `---
id: lamp-home
title: A calmer desk at home
locale: en
teller: { name: Maria K. }
tags: { products: [L-1], categories: [lighting], segments: [b2c] }
consent: { given: true, by: Maria K., on: 2026-03-14 }
---
By the second week I simply switched it on when I sat down.
`,
  'studio.md': `---
id: lamp-studio
title: Twelve desks, one kind of light
locale: en
teller: { name: Tom B., company: Northlight Studio }
tags: { products: [L-1], segments: [b2b] }
consent: { given: true, by: Tom B., on: 2026-02-02 }
---
We agreed on one height and angle for the whole room.
`,
  'studio.de.md': `---
id: lamp-studio-de
title: Zwölf Tische, ein Licht
locale: de
teller: { name: Tom B., company: Northlight Studio }
tags: { products: [L-1], segments: [b2b] }
consent: { given: true, by: Tom B., on: 2026-02-02 }
---
Wir haben uns auf eine Höhe für den ganzen Raum geeinigt.
`,
  'draft.md': `---
id: hose-draft
title: Not agreed yet
locale: en
teller: { name: Sam }
tags: { categories: [garden] }
consent: { given: false }
---
Never told.
`,
};

let smtp: SmtpReceiver;
let storyDir: string;
let library: Story[];
before(async () => {
  smtp = await smtpReceiver();
  storyDir = mkdtempSync(join(tmpdir(), 'aftercare-stories-'));
  for (const [name, text] of Object.entries(STORIES)) writeFileSync(join(storyDir, name), text);
  const read = readStoryDir(storyDir);
  assert.ok(read.ok, JSON.stringify(read));
  library = read.stories;
});
after(async () => {
  await smtp.close();
  rmSync(storyDir, { recursive: true, force: true });
});

const storyStep = step('customer-story', { template: 'customer-story', purpose: 'education', story: true });

function dispatcher(world: World, clock: VirtualClock, outbox: string): Dispatcher {
  return new Dispatcher({
    queue: world.store.queue,
    consent: world.store.consent,
    clock,
    channels: new ChannelRouter([
      createEmailChannel({ smtpUrl: smtp.url, outboxDir: outbox, from: 'Lumen Lamps <care@lumen.example>' }),
    ]),
    renderer: world.renderer,
    playbooks: [world.playbook],
    policy: { ...DEFAULT_POLICY_CONFIG, defaultTimezone: 'UTC' },
    business: BUSINESS,
    publicUrl: 'https://care.example',
    workerId: 'w1',
    stories: { library, told: world.store.stories },
  });
}

const delivered = { placed: T0 - 14 * DAY, delivered: T0 - 12 * DAY };

test('a repeat customer hears two different stories, each with why; an unlike purchase gets no message', async () => {
  const world = await openWorld([storyStep]);
  try {
    const clock = new VirtualClock(T0);
    const d = dispatcher(world, clock, join(world.dir, 'outbox'));
    const ada = customer('c-ada', { firstName: 'Ada', segment: 'b2b', orderCount: 2 });
    await seed(world, {
      customer: ada,
      order: order('o-1', 'c-ada', { segment: 'b2b', moments: delivered }),
      steps: [storyStep],
      dueAt: T0,
    });
    await seed(world, {
      customer: ada,
      order: order('o-2', 'c-ada', { segment: 'b2b', sequence: 2, moments: delivered }),
      steps: [storyStep],
      dueAt: T0 + 30 * DAY,
    });
    const bob = customer('c-bob', { firstName: 'Bob' });
    await seed(world, {
      customer: bob,
      order: order('o-3', 'c-bob', {
        items: [{ sku: 'H-9', productName: 'Garden hose', category: 'garden', quantity: 1, price: 30 }],
        moments: delivered,
      }),
      steps: [storyStep],
      dueAt: T0,
    });

    await d.runUntilIdle();
    clock.set(T0 + 30 * DAY);
    await d.runUntilIdle();

    const toAda = smtp.mails.filter((m) => m.to.includes('c-ada@example.com'));
    assert.equal(toAda.length, 2);
    const [first, second] = toAda.map((m) => m.parsed.text ?? '');
    // The business customer hears the business story first, then the other lamp story.
    assert.match(first!, /Twelve desks, one kind of light/);
    assert.match(first!, /Tom B\., Northlight Studio/);
    assert.match(first!, /Why this story: same product, also a business customer\./);
    assert.match(second!, /A calmer desk at home/);
    assert.match(second!, /Why this story: same product\./);
    assert.doesNotMatch(second!, /Twelve desks/);
    assert.match(toAda[0]!.parsed.subject ?? '', /Desk lamp/);

    // Nothing is like the hose: no message, and the touch point says why.
    assert.equal(smtp.mails.filter((m) => m.to.includes('c-bob@example.com')).length, 0);
    const skipped = await world.store.reads.getTouchPoint('test:o-3:customer-story');
    assert.equal(skipped?.status, 'skipped');
    assert.deepEqual(skipped?.reason, { code: 'no_story', detail: null });

    const told = await world.store.stories.tellings('c-ada');
    assert.deepEqual(
      told.map((t) => [t.storyId, t.touchPointId]),
      [
        ['lamp-studio', 'test:o-1:customer-story'],
        ['lamp-home', 'test:o-2:customer-story'],
      ],
    );
  } finally {
    await world.close();
  }
});

test('the story is in the language of the message; none in that language: no message', async () => {
  const world = await openWorld([storyStep]);
  try {
    const clock = new VirtualClock(T0);
    const d = dispatcher(world, clock, join(world.dir, 'outbox'));
    const jonas = customer('c-jonas', { firstName: 'Jonas', locale: 'de-AT', segment: 'b2b' });
    await seed(world, {
      customer: jonas,
      order: order('o-de', 'c-jonas', { segment: 'b2b', moments: delivered }),
      steps: [storyStep],
      dueAt: T0,
    });
    const lea = customer('c-lea', { firstName: 'Léa', locale: 'fr' });
    await seed(world, {
      customer: lea,
      order: order('o-fr', 'c-lea', { moments: delivered }),
      steps: [storyStep],
      dueAt: T0,
    });
    await d.runUntilIdle();
    const toJonas = smtp.mails.filter((m) => m.to.includes('c-jonas@example.com'));
    assert.equal(toJonas.length, 1);
    assert.match(toJonas[0]!.parsed.text ?? '', /Zwölf Tische, ein Licht/);
    assert.match(
      toJonas[0]!.parsed.text ?? '',
      /Warum diese Geschichte: dasselbe Produkt, ebenfalls Geschäftskunde\./,
    );
    // A French e-mail never carries an English story.
    assert.equal(smtp.mails.filter((m) => m.to.includes('c-lea@example.com')).length, 0);
    assert.equal(
      (await world.store.reads.getTouchPoint('test:o-fr:customer-story'))?.reason?.code,
      'no_story',
    );
  } finally {
    await world.close();
  }
});
