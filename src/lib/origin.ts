/** The tracker's public origin for short URLs: PUBLIC_ORIGIN when set, else the request's own. */
import type { Context } from 'hono';
import type { AppEnv } from '../env';

export const publicOrigin = (c: Context<AppEnv>): string =>
  (c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin).replace(/\/+$/, '');
