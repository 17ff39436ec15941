/** Routers whose validation failures become our own 400 envelope, naming the field (the schemas themselves live in src/schemas/). */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { AppEnv } from '../env';
import { ApiError } from './errors';

/** "name: Required; links.3.destination: must be an http or https URL" */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => (path ? `${path}.${key}` : key)).join(', ');
        return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${keys}`;
      }
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** A router for one resource; every route's validation failure throws a `validation_error`. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ApiError('validation_error', describeZodError(result.error));
    },
  });
}
