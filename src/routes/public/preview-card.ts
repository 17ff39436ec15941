/** Social previews on the redirect: a link-preview bot asking for a link that has one gets the card page, not the 302. */
import type { Context } from 'hono';
import { describeAgent } from '../../domain/agents';
import type { RedirectTarget } from '../../domain/redirect';
import type { AppEnv } from '../../env';
import { linkPreviewCard } from '../../views/link-preview-card';

/** The card answer for this request, or undefined (no preview on the link, or not a link-preview bot: the 302). */
export function previewCardFor(c: Context<AppEnv>, target: RedirectTarget): ((location: string) => Response) | undefined {
  const preview = target.preview;
  if (!preview || describeAgent(c.req.header('User-Agent') ?? '', c.req.method).botReason !== 'link_preview') return undefined;
  const queryAt = c.req.url.indexOf('?');
  const asRequested = queryAt < 0 ? c.req.url : c.req.url.slice(0, queryAt);
  // A branded short URL is https (Custom Domains are); the own host's as requested.
  const host = c.var.host;
  const shared = host.kind === 'branded' ? `https://${host.domain.hostname}${new URL(asRequested).pathname}` : asRequested;
  // No visitor cookie for a bot; the page may change with the link, so it is not cached.
  return (location) => c.html(linkPreviewCard(preview, shared, location), 200, { 'Cache-Control': 'no-store' }) as Response;
}
