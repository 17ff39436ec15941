/**
 * The typed client in use: create a campaign and a tracked link, then read the
 * link back. Paths, bodies, answers and error envelopes are all checked by
 * TypeScript against client/schema.d.ts (this file is in `npm run typecheck`).
 *
 *   TOUCHPOINT_URL=http://localhost:8787 TOUCHPOINT_KEY=tp_… node --experimental-strip-types client/example.ts
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type Link = components['schemas']['Link'];

/** A client for one Touchpoint with one API key (scope links:write here). */
export const touchpoint = (baseUrl: string, key: string) => createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });

/** Creates a campaign and its QR link for a flyer; throws with the API's error code and message. */
export async function flyerLink(client: ReturnType<typeof touchpoint>): Promise<Link> {
  const campaign = await client.POST('/api/v1/campaigns', {
    body: { name: 'Spring Sale', landing_url: 'https://shop.example/spring' },
  });
  if (campaign.error) throw new Error(`${campaign.error.error.code}: ${campaign.error.error.message}`);

  const link = await client.POST('/api/v1/links', {
    body: { campaign_id: campaign.data.id, destination: 'https://shop.example/spring', kind: 'qr', utm_source: 'flyer', utm_medium: 'print' },
  });
  if (link.error) throw new Error(`${link.error.error.code}: ${link.error.error.message}`);

  const read = await client.GET('/api/v1/links/{id}', { params: { path: { id: link.data.id } } });
  if (read.error) throw new Error(`${read.error.error.code}: ${read.error.error.message}`);
  return read.data;
}

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
if (env.TOUCHPOINT_URL && env.TOUCHPOINT_KEY) {
  const link = await flyerLink(touchpoint(env.TOUCHPOINT_URL, env.TOUCHPOINT_KEY));
  console.log(`${link.short_url} → ${link.tracked_url} (channel ${link.channel})`);
}
