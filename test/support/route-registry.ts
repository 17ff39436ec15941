/**
 * The app's own registries, so that tests over "every route" cannot miss one:
 * the OpenAPI document (each API operation with its scopes and inputs) and
 * Hono's route list (every handler the app mounts).
 */
import { createApp } from '../../src/app';
import { call } from '../helpers';

export interface ApiOperation {
  method: string;
  /** OpenAPI form: /api/v1/links/{id} */
  path: string;
  /** A concrete path: every parameter filled with "x_1". */
  samplePath: string;
  /** Scopes of which the key needs one; null: a public operation. */
  scopes: string[] | null;
  hasJsonBody: boolean;
  /** The media types of its request body (none: no body). */
  bodyMediaTypes: string[];
  queryParams: Array<{ name: string; schema: Record<string, any> }>;
}

const app = createApp();

export async function apiOperations(): Promise<ApiOperation[]> {
  const response = await call('GET', '/api/v1/openapi.json', { key: null });
  const doc = (await response.json()) as any;
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        samplePath: path.replace(/\{[^}]+\}/g, 'x_1'),
        scopes: op.security ? op.security.flatMap((requirement: Record<string, string[]>) => requirement.bearer ?? []) : null,
        hasJsonBody: !!op.requestBody?.content?.['application/json'],
        bodyMediaTypes: Object.keys(op.requestBody?.content ?? {}),
        queryParams: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => ({ name: p.name, schema: p.schema ?? {} })),
      });
    }
  }
  return operations;
}

/** Every route a handler is mounted on (middleware excluded), as "METHOD /path/{param}". */
export function mountedRoutes(): string[] {
  const routes = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    routes.add(`${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
  }
  return [...routes].sort();
}

/** A query value the parameter's schema refuses, or null when the schema refuses nothing a string can say. */
export function refusedQueryValue(schema: Record<string, any>): string | null {
  if (Array.isArray(schema.enum)) return 'not-a-listed-value';
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum !== undefined ? String(schema.minimum - 1) : 'NaN';
  if (schema.format === 'date' || schema.pattern) return '2026-13-45T';
  if (schema.maxLength !== undefined) return 'x'.repeat(schema.maxLength + 1);
  return null;
}

/** Per request media type other than JSON: a body of that type its routes must refuse with 400 (malformed for that type). */
export const MALFORMED_BODIES: Record<string, string> = {
  // A quoted field never closed: not RFC 4180.
  'text/csv': 'name,value\r\n"unclosed,1\r\n',
};
