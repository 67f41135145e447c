// The OpenAPI 3.1 document of the API, generated from the route declarations and their zod
// schemas (z.toJSONSchema), so it lists every route exactly as registered. Served at
// /api/v1/openapi.json without authentication.
import { z } from 'zod';
import type { ApiRoute } from './route.js';
import { errorResponse } from './schemas/resources.js';

type JsonSchema = Record<string, unknown>;

/** Errors any authenticated route can answer with, besides its own. */
const COMMON_ERRORS: Record<number, string> = {
  400: 'invalid input: `error.details.field` names the field (AFTERCARE_E_INPUT_INVALID)',
  401: 'missing, invalid or expired API key (AFTERCARE_E_UNAUTHORIZED); the same answer whatever was wrong, except that an expired key is told so',
  403: 'the API key holds none of the scopes this operation needs (AFTERCARE_E_FORBIDDEN); details.required names them',
  413: 'body over the size limit (AFTERCARE_E_PAYLOAD_TOO_LARGE)',
  429: 'too many requests per key or address (AFTERCARE_E_RATE_LIMITED); see Retry-After',
  503: 'the store is unavailable (AFTERCARE_E_STORE)',
};
const ROUTE_ERRORS: Record<number, string> = {
  404: 'not found (AFTERCARE_E_NOT_FOUND, AFTERCARE_E_PLAYBOOK_NOT_FOUND)',
  409: 'conflicts with the current state (AFTERCARE_E_CONFLICT)',
};
const POST_ERRORS: Record<number, string> = {
  409: 'the first request with this Idempotency-Key is still running (AFTERCARE_E_CONFLICT)',
  422: 'Idempotency-Key already used for a different request (AFTERCARE_E_IDEMPOTENCY_KEY_REUSED)',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/customers/:id` -> `/customers/{id}`. */
function openApiPath(prefix: string, path: string): string {
  return prefix + path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function operationId(route: ApiRoute): string {
  const words = `${route.method.toLowerCase()} ${route.path}`
    .replace(/:([A-Za-z0-9_]+)/g, 'by $1')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function content(schema: z.ZodType | null, io: 'input' | 'output'): JsonSchema | undefined {
  return schema ? { 'application/json': { schema: jsonSchema(schema, io) } } : undefined;
}

function operation(route: ApiRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const answer of [route.answer, ...(route.also ?? [])]) {
    const body = content(answer.schema, 'output');
    responses[String(answer.status)] = {
      description: answer.description,
      ...(body ? { content: body } : {}),
    };
  }
  const errors: Record<number, string> = {
    ...COMMON_ERRORS,
    ...(route.method === 'POST' ? POST_ERRORS : {}),
  };
  for (const status of route.errors ?? []) errors[status] ??= ROUTE_ERRORS[status] ?? 'error';
  for (const [status, description] of Object.entries(errors)) {
    responses[status] ??= {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }

  const params = [...parameters(route.params, 'path'), ...parameters(route.query, 'query')];
  if (route.method === 'POST') {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'repeat a POST safely: the same key and body get the first answer again for 24 hours',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  const bodySchema = route.bodyDoc ?? route.body;
  let requestBody: JsonSchema | undefined;
  if (bodySchema) {
    const schema = jsonSchema(bodySchema, 'input');
    const types = route.bodyTypes ?? ['application/json'];
    requestBody = {
      // A body whose fields are all optional may be left out.
      required: route.bodyDoc !== undefined || (Array.isArray(schema.required) && schema.required.length > 0),
      content: Object.fromEntries(
        types.map((type) => [type, { schema: type === 'application/json' ? schema : { type: 'string' } }]),
      ),
    };
  }
  const needs = `Needs an API key with the ${route.scopes.map((scope) => `\`${scope}\``).join(' or ')} scope.`;
  return {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    description: route.description ? `${route.description}\n\n${needs}` : needs,
    // Alternatives: a key holding any one of these scopes is admitted.
    security: route.scopes.map((scope) => ({ apiKey: [scope] })),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

const PUBLIC_PATHS: Record<string, JsonSchema> = {
  '/healthz': {
    get: {
      operationId: 'healthz',
      tags: ['Operations'],
      summary: 'The process is up',
      security: [],
      responses: { '200': { description: '{"status":"ok"}' } },
    },
  },
  '/readyz': {
    get: {
      operationId: 'readyz',
      tags: ['Operations'],
      summary: 'The store is reachable',
      security: [],
      responses: { '200': { description: 'ready' }, '503': { description: 'the store is unavailable' } },
    },
  },
  '/metrics': {
    get: {
      operationId: 'metrics',
      tags: ['Operations'],
      summary: 'Prometheus metrics (text exposition format)',
      security: [],
      responses: {
        '200': { description: 'metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    },
  },
};

export function openApiDocument(routes: readonly ApiRoute[], prefix: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = openApiPath(prefix, route.path);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  paths[`${prefix}/openapi.json`] = {
    get: {
      operationId: 'openapi',
      tags: ['Operations'],
      summary: 'This document',
      security: [],
      responses: { '200': { description: 'the OpenAPI document' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Aftercare API',
      version: '1',
      description:
        'Orders and events in; customers, touch points, tasks and playbooks out. JSON with camelCase ' +
        'fields and ISO 8601 times. Errors: {"error": {"code", "message", "details"}} with codes from docs/errors.md.',
    },
    security: [{ apiKey: [] }],
    paths: { ...paths, ...PUBLIC_PATHS },
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'an API key from `aftercare keys create --name NAME --scope SCOPES`: Authorization: Bearer ak_... ' +
            'Scopes: `read` (GETs of orders, customers, touch points, concerns, tasks and playbooks), ' +
            '`write` (ingest; move, cancel and send touch points; acknowledge and resolve concerns; check playbooks), ' +
            "`tasks` (list, read, claim and complete tasks: a rep's key), `privacy` (export and erase customers). " +
            'Each operation lists the scopes that admit it under `security`.',
        },
      },
      schemas: { Error: jsonSchema(errorResponse, 'output') },
    },
  };
}
