// One declaration per API route: method, path, the zod schemas of its inputs and answer, and the
// handler. Fastify registration and the OpenAPI document are both made from these declarations,
// so every route is documented as it behaves.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Clock } from '../engine/clock.js';
import type { Commands } from '../engine/commands/commands.js';
import type { ApiKey, ApiScope } from '../store/ports/access.js';
import { requireScope } from './auth.js';
import type { IdempotencyRecords } from './idempotency.js';
import type { Metrics } from './metrics.js';
import { parseInput } from './validate.js';

/**
 * What the API plugin is built from. Route handlers call `commands` (the use cases) and present
 * what they return; the store is reached only by the plugin's own hooks (Idempotency-Key records).
 */
export interface ApiDeps {
  config: Readonly<Config>;
  commands: Commands;
  idempotency: IdempotencyRecords;
  clock: Clock;
  metrics: Metrics;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface RouteContext {
  deps: ApiDeps;
  apiKey: ApiKey;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteSpec<P, Q, B> {
  method: Method;
  /** Fastify syntax, below /api/v1: `/customers/:id`. */
  path: string;
  tag: string;
  /** The scopes that admit a key to this route: any one of them will do. */
  scopes: readonly ApiScope[];
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Documented instead of `body` when the body is parsed in the handler (one event or a batch). */
  bodyDoc?: z.ZodType;
  /** Content types the body may come in; default JSON. */
  bodyTypes?: readonly string[];
  /** The usual answer; a handler may answer with another status (documented under `also`). */
  answer: { status: number; description: string; schema: z.ZodType | null };
  also?: readonly { status: number; description: string; schema: z.ZodType | null }[];
  /** Error statuses besides the ones every route can give (400, 401, 413, 429, 503). */
  errors?: readonly number[];
  handle: (
    input: { params: Out<P>; query: Out<Q>; body: Out<B> },
    ctx: RouteContext,
  ) => Answer | Promise<Answer>;
}

/** A declared route with its types erased: what registration and the OpenAPI document need. */
export interface ApiRoute {
  method: Method;
  path: string;
  tag: string;
  scopes: readonly ApiScope[];
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  bodyDoc?: z.ZodType;
  bodyTypes?: readonly string[];
  answer: { status: number; description: string; schema: z.ZodType | null };
  also?: readonly { status: number; description: string; schema: z.ZodType | null }[];
  errors?: readonly number[];
  run: (raw: { params: unknown; query: unknown; body: unknown }, ctx: RouteContext) => Promise<Answer>;
}

export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): ApiRoute {
  // Out<S> is undefined exactly when the schema is: the cast only restates that.
  const parse = <S>(schema: S, value: unknown, where: 'path' | 'query' | 'body'): Out<S> =>
    (schema === undefined ? undefined : parseInput(schema as z.ZodType, value, where)) as Out<S>;
  const { handle, params, query, body, ...rest } = spec;
  return {
    ...rest,
    ...(params ? { params } : {}),
    ...(query ? { query } : {}),
    ...(body ? { body } : {}),
    run: async (raw, ctx) =>
      handle(
        {
          params: parse<P>(params as P, raw.params, 'path'),
          query: parse<Q>(query as Q, raw.query, 'query'),
          // An absent body is validated as `{}`, so its fields are named in the error.
          body: parse<B>(body as B, raw.body === undefined ? {} : raw.body, 'body'),
        },
        ctx,
      ),
  };
}

export function ok(body: unknown, status = 200): Answer {
  return { status, body };
}

/** Registers routes on an instance whose hooks have authenticated the request. */
export function registerRoutes(app: FastifyInstance, routes: readonly ApiRoute[], deps: ApiDeps): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      // After the key is authenticated, before the body is read or an Idempotency-Key is taken.
      onRequest: requireScope(route.scopes, `${route.method} ${route.path}`),
      handler: async (request, reply) => {
        const apiKey = request.apiKey;
        // The auth hook runs first on every route of this instance; this only satisfies the types.
        if (apiKey === null) throw new Error('route reached without an authenticated key');
        const answer = await route.run(
          { params: request.params, query: request.query, body: request.body },
          { deps, apiKey, request, reply },
        );
        return reply.code(answer.status).send(answer.body);
      },
    });
  }
}
