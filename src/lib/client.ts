/**
 * Who sent a request, for the rate limiters and as visitor-hash input (never stored raw).
 *
 * On Cloudflare the edge sets `CF-Connecting-IP` on every request and overwrites
 * a value the client sent. Locally it is different: `wrangler dev` (Miniflare)
 * fills the header from the socket only when the request lacks it, so a client
 * could claim a new address per request; `request.cf` is present there too (a
 * stand-in object), so it tells nothing. Hence a setting: TRUST_CLIENT_IP_HEADER
 * ("true" in wrangler.toml, which is what `wrangler deploy` ships; `npm start`
 * and `npm run dev` pass "false"). Untrusted, the header is ignored and every
 * client is the same one — one shared budget nobody can multiply by forging
 * headers. X-Forwarded-For is never read: anyone can send it.
 */
import type { Bindings } from '../env';

type TrustSetting = Pick<Bindings, 'TRUST_CLIENT_IP_HEADER'>;

/** Whether `CF-Connecting-IP` comes from Cloudflare's edge in this deployment. */
export const trustsClientIpHeader = (env: TrustSetting): boolean => env.TRUST_CLIENT_IP_HEADER !== 'false';

/** The client's IP address, or '' when unknown or not to be trusted here. */
export const clientIp = (headers: Headers, env: TrustSetting): string => (trustsClientIpHeader(env) ? (headers.get('CF-Connecting-IP')?.trim() ?? '') : '');
