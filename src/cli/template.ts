// `aftercare template preview|send-test`: see a step's message as a customer would, without
// sending it (preview), or in a real inbox (send-test: the sample customer, the configured
// e-mail transport, "[TEST]" in the subject, and nothing recorded in the store).
import { randomUUID } from 'node:crypto';
import { composeStore, linkTokensFor } from '../app/compose.js';
import { createEmailChannel } from '../channels/email.js';
import type { OutboundMessage } from '../channels/port.js';
import type { Customer, Order } from '../core/domain.js';
import type { StoryMatch } from '../core/stories/story.js';
import { resolveZone } from '../core/localTime.js';
import { checkMailbox } from '../core/mailbox.js';
import { loadConfig, type Config } from '../config.js';
import { domainOf, messageIdFor } from '../engine/message.js';
import type { RenderedTemplate } from '../templates/render.js';
import { EXIT_OK, usageError } from './exit.js';
import { contextFor, sampleCustomer, sampleOrder, sampleStories, storyFor } from './templateSample.js';
import { findStep, type FoundStep } from './templateStep.js';

export interface PreviewOptions {
  playbook?: string;
  order?: string;
  sample?: boolean;
  locale?: string;
  format: 'text' | 'html';
}

export async function templatePreviewCommand(key: string, options: PreviewOptions): Promise<number> {
  if (options.order !== undefined && options.sample === true) {
    throw usageError('--order and --sample: give one of them (a stored order, or the sample)');
  }
  checkLocale(options.locale);
  const config = loadConfig(process.env);
  const found = await findStep(config, key, options.playbook);
  const now = Date.now();
  const { customer, order, told } =
    options.order === undefined
      ? { ...sample(config, now, options.locale), told: new Set<string>() }
      : await stored(config, options.order, options.locale);
  // The sample tells a built-in sample story; a stored order the configured library's, as its
  // customer would be told it now (not one they were told before).
  const library = options.order === undefined ? sampleStories() : config.stories.stories;
  const story = storyFor(
    found.step,
    library,
    customer,
    order,
    found.renderer.writtenIn(found.step.template, customer.locale ?? ''),
    told,
  );
  if (found.step.story === true && story === null) {
    process.stderr.write(
      `step "${key}" tells a customer story, and none matches this order: it would be skipped (no_story)\n`,
    );
  }
  const rendered = render(config, found, customer, order, now, undefined, story);
  if (options.format === 'html') {
    if (rendered.html === null) {
      throw usageError(
        `--format html: step "${key}" is ${found.step.channel}, which has no HTML part; use --format text`,
        { step: key },
      );
    }
    process.stdout.write(rendered.html);
    return EXIT_OK;
  }
  const head = rendered.subject !== '' ? `Subject: ${rendered.subject}` : `Title: ${rendered.title}`;
  process.stdout.write(`${head}\n\n${rendered.text}\n`);
  return EXIT_OK;
}

export interface SendTestOptions {
  to: string;
  playbook?: string;
  locale?: string;
}

export async function templateSendTestCommand(key: string, options: SendTestOptions): Promise<number> {
  const address = checkMailbox(options.to);
  if (!address.ok) throw usageError(`--to: the address ${address.problem}`, { flag: '--to' });
  checkLocale(options.locale);
  const config = loadConfig(process.env);
  const found = await findStep(config, key, options.playbook);
  if (found.step.channel !== 'email') {
    throw usageError(
      `step "${key}" sends by ${found.step.channel}, not e-mail: only e-mail steps can be sent as a test`,
      { step: key },
    );
  }
  const now = Date.now();
  const { customer, order } = sample(config, now, options.locale);
  const story = storyFor(
    found.step,
    sampleStories(),
    customer,
    order,
    found.renderer.writtenIn(found.step.template, customer.locale ?? ''),
  );
  // The sample is in no store, so its sealed links would open "not found": every link of a test
  // message leads to the help page, which exists and changes nothing.
  const rendered = render(
    config,
    found,
    customer,
    order,
    now,
    `${config.publicUrl.replace(/\/+$/, '')}/help`,
    story,
  );
  // Its own id: never a touch point's, so a reply to it or a resend finds nothing to record.
  const id = `send-test:${found.playbook.name}:${key}:${randomUUID()}`;
  const message: OutboundMessage = {
    touchPointId: id,
    idempotencyKey: id,
    messageId: messageIdFor(id, domainOf(config.business.fromEmail)),
    channel: 'email',
    purpose: found.step.purpose,
    customerId: customer.id,
    orderId: order.id,
    stepKey: key,
    to: { email: address.address, phone: null, name: null },
    subject: `[TEST] ${rendered.subject}`,
    text: rendered.text,
    html: rendered.html,
    headers: { 'X-Aftercare-Test': `${found.playbook.name}/${key}` },
    task: null,
  };
  const channel = createEmailChannel({
    smtpUrl: config.smtpUrl,
    outboxDir: config.outboxDir,
    from: config.emailFrom,
    dkim: config.dkim,
  });
  try {
    const receipt = await channel.send(message);
    const via =
      config.smtpUrl === null
        ? `written to the outbox (${receipt.providerId ?? config.outboxDir})`
        : 'sent by SMTP';
    process.stdout.write(`test of ${found.playbook.name}/${key} to ${address.address}: ${via}\n`);
    return EXIT_OK;
  } finally {
    await channel.close?.();
  }
}

function render(
  config: Readonly<Config>,
  found: FoundStep,
  customer: Customer,
  order: Order,
  now: number,
  linksTo?: string,
  story: StoryMatch | null = null,
): RenderedTemplate {
  const context = contextFor(found.playbook, found.step, customer, order, {
    business: config.business,
    publicUrl: config.publicUrl,
    defaultTimezone: config.policy.defaultTimezone,
    tokens: linkTokensFor(config),
    now,
    ...(config.policy.tips ? { tips: config.policy.tips } : {}),
    ...(linksTo === undefined ? {} : { linksTo }),
    story,
  });
  return found.renderer.render(found.step.template, context);
}

function sample(config: Readonly<Config>, now: number, locale: string | undefined) {
  const zone = resolveZone(null, config.policy.defaultTimezone);
  return {
    customer: sampleCustomer(now, locale ?? null, zone),
    order: sampleOrder(now, config.policy.currency.base),
  };
}

/** A stored order and its customer, read without creating or changing anything. */
async function stored(config: Readonly<Config>, orderId: string, locale: string | undefined) {
  const app = await composeStore(config, { create: false });
  try {
    const order = await app.commands.customers.order(orderId);
    if (order === null) throw usageError(`--order: no order "${orderId}" in the store`, { order: orderId });
    const customer = await app.commands.customers.get(order.customerId);
    if (customer === null) {
      throw usageError(`--order: order "${orderId}" has no customer in the store (erased?)`, {
        order: orderId,
      });
    }
    const told = (await app.store.stories.toldTo([customer.id])).get(customer.id) ?? new Set<string>();
    return { customer: locale === undefined ? customer : { ...customer, locale }, order, told };
  } finally {
    await app.close();
  }
}

/** A BCP 47 tag such as de, fr-CA or es-419. */
function checkLocale(locale: string | undefined): void {
  if (locale === undefined) return;
  let valid = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale);
  try {
    if (valid) Intl.getCanonicalLocales(locale);
  } catch {
    valid = false;
  }
  if (!valid)
    throw usageError(`--locale: "${locale}" is not a locale such as en, de-DE or fr`, { flag: '--locale' });
}
