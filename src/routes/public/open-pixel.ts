/** `GET /o/:slug.gif?rid=…`: the email open pixel. Always answers the GIF; logs an open (never a touch). */
import { Hono } from 'hono';
import { insertEmailOpen } from '../../db/touches';
import { describeAgent } from '../../domain/agents';
import { machineOpenReason, PIXEL_GIF } from '../../domain/email';
import type { AppEnv } from '../../env';
import { newId } from '../../lib/ids';
import { lookupRedirectTarget } from '../../services/link-cache';
import { toIso } from '../../lib/time';
import { hashRid } from '../../services/touch-recorder';

export const openPixel = new Hono<AppEnv>();

openPixel.get('/o/:file{[A-Za-z0-9_-]{3,64}\\.gif}', (c) => {
  const slug = c.req.param('file').slice(0, -'.gif'.length);
  const now = c.var.now();
  const userAgent = c.req.header('User-Agent') ?? '';
  const method = c.req.method;
  const rid = c.req.query('rid');
  c.executionCtx.waitUntil(
    (async () => {
      const target = await lookupRedirectTarget(c.var.db, c.env, slug, now);
      if (!target) return;
      const reason = machineOpenReason(userAgent, method);
      await insertEmailOpen(c.var.db, {
        id: newId('open', now),
        link_id: target.linkId,
        campaign_id: target.campaignId,
        rid_hash: await hashRid(c.env, rid),
        occurred_at: toIso(now),
        is_machine: reason ? 1 : 0,
        machine_reason: reason,
        device_class: reason ? 'bot' : describeAgent(userAgent, method).deviceClass,
        user_agent: userAgent.slice(0, 512) || null,
      });
    })().catch((error) => console.error('recording an open failed', error)),
  );
  return c.body(PIXEL_GIF, 200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store, max-age=0', 'Content-Length': String(PIXEL_GIF.byteLength) });
});
