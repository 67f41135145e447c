// The mailing list through the API: a sign-up made by the shop (its own form or checkout box),
// which sends the same confirmation mail as the public form (double opt-in: the address is on the
// list only once its owner confirms), and the news items the digest carries.
import { z } from 'zod';
import { LIST_LANGUAGES } from '../../engine/list/texts.js';
import type { NewsItem, Subscriber } from '../../store/ports/mailingList.js';
import { AftercareError } from '../../errors.js';
import { iso, isoOrNull } from '../present.js';
import { defineRoute, ok } from '../route.js';
import { listLimit, mailbox, zone } from '../schemas/common.js';
import { listOf } from './customers.js';

const locale = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a locale like de-DE')
  .max(35);

export const signUpInput = z.strictObject({
  email: mailbox,
  locale: locale
    .optional()
    .describe('the language of the confirmation mail and the digests; default: English'),
  timezone: zone
    .optional()
    .describe('when digests may arrive (outside quiet hours); default: AFTERCARE_TIMEZONE'),
});

export const newsInput = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  body: z.string().trim().min(1, 'must not be empty').max(5000, 'must be at most 5000 characters'),
  locale: z
    .enum(LIST_LANGUAGES)
    .optional()
    .describe('only subscribers of this language get it; left out: everyone'),
});

const subscriptionResource = z.object({
  id: z.string(),
  email: z.string(),
  status: z.enum(['pending', 'confirmed', 'unsubscribed']),
  requestedAt: z.string(),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
});

const signUpAnswer = z.object({
  outcome: z
    .enum(['confirmation_sent', 'already_confirmed', 'rate_limited', 'suppressed', 'not_sent'])
    .describe('what happened: a confirmation mail went out, or why not'),
  subscription: subscriptionResource,
});

const newsResource = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  locale: z.string().nullable(),
  createdAt: z.string(),
});

function presentSubscription(s: Subscriber) {
  return {
    id: s.id,
    email: s.email,
    status: s.status,
    requestedAt: iso(s.requestedAt),
    confirmedAt: isoOrNull(s.consent?.confirmedAt ?? null),
    unsubscribedAt: isoOrNull(s.unsubscribedAt),
  };
}

function presentNews(n: NewsItem) {
  return { id: n.id, title: n.title, body: n.body, locale: n.locale, createdAt: iso(n.createdAt) };
}

export const mailingListRoutes = [
  defineRoute({
    method: 'POST',
    path: '/list/subscriptions',
    scopes: ['write'],
    tag: 'Mailing list',
    summary: 'Sign an address up for the news digest: a confirmation mail goes out (double opt-in)',
    description:
      'Nothing but the confirmation mail is sent until its owner confirms. Confirmation mails are limited per address (one per 2 minutes, 3 in a row, then one a day): `outcome` says when one was held back.',
    body: signUpInput,
    answer: { status: 202, description: 'the sign-up and what was done', schema: signUpAnswer },
    handle: async ({ body }, { deps }) => {
      const result = await deps.commands.mailingList.signUp({
        email: body.email,
        locale: body.locale ?? null,
        timezone: body.timezone ?? null,
        source: 'api',
        ip: null,
      });
      if (!result.ok)
        throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `email: ${result.problem}`, {
          in: 'body',
          field: 'email',
        });
      return ok({ outcome: result.status, subscription: presentSubscription(result.subscriber) }, 202);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/list/news',
    scopes: ['write'],
    tag: 'Mailing list',
    summary: 'Add a news item for the next digests',
    body: newsInput,
    answer: { status: 201, description: 'the item', schema: newsResource },
    handle: async ({ body }, { deps }) =>
      ok(
        presentNews(
          await deps.commands.mailingList.addNews({
            title: body.title,
            body: body.body,
            locale: body.locale ?? null,
          }),
        ),
        201,
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/list/news',
    scopes: ['read'],
    tag: 'Mailing list',
    summary: 'News items, oldest first',
    query: z.strictObject({ limit: listLimit.optional() }),
    answer: { status: 200, description: 'at most `limit` (default 100) items', schema: listOf(newsResource) },
    handle: async ({ query }, { deps }) =>
      ok({
        items: (await deps.commands.mailingList.listNews(query.limit ? { limit: query.limit } : {})).map(
          presentNews,
        ),
      }),
  }),
];
