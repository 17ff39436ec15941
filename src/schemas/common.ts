/** Schemas every resource shares: the error envelope and its responses, JSON bodies, dates, pages and ids. */
import { z } from '@hono/zod-openapi';
import { ERROR_STATUS, type ErrorCode } from '../lib/errors';

/** The error envelope, for OpenAPI responses. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]).openapi({
        description: `What went wrong, for code to branch on; each code has one status: ${Object.entries(ERROR_STATUS)
          .map(([code, status]) => `${code} (${status})`)
          .join(', ')}`,
      }),
      message: z.string().openapi({ description: 'For people: what to change, naming the field' }),
    }),
  })
  .openapi('Error', { description: 'The one error envelope of every API route' });

export const errorResponse = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

/** The error responses every authenticated route can give. */
export const authErrors = {
  400: errorResponse('Invalid input'),
  401: errorResponse('Missing or invalid API key'),
  403: errorResponse('The key lacks the scope this route needs'),
  429: errorResponse('rate_limited: too many failed key checks from this client (IPv4 address or IPv6 /64); see Retry-After'),
} as const;

export const notFoundError = { 404: errorResponse('Not found') } as const;
export const conflictError = { 409: errorResponse('Conflict') } as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** ISO-8601 date-time in, normalised `…Z` string out. */
export const isoDateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/** `?limit=&cursor=` for list routes. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), next_cursor: z.string().nullable() });

export const IdParam = z.object({ id: z.string().min(1).max(64) });
