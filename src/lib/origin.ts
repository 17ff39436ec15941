/** The tracker's public origin for short URLs: PUBLIC_ORIGIN when set, else the request's own. */
import type { Bindings } from '../env';

export const publicOrigin = (c: { env: Pick<Bindings, 'PUBLIC_ORIGIN'>; req: { url: string } }): string =>
  (c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin).replace(/\/+$/, '');
