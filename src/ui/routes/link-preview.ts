/** `GET /campaigns/:id/preview`: the link form's live preview (tracked URL and channel) as JSON, from the domain rules. */
import { Hono } from 'hono';
import { findCampaignById } from '../../db/campaigns';
import { previewLink } from '../../services/link-preview';
import { requireSession, type UiEnv } from '../context';

export const linkPreview = new Hono<UiEnv>();

linkPreview.get('/campaigns/:id/preview', requireSession('links:write'), async (c) => {
  const campaign = await findCampaignById(c.var.db, c.req.param('id'));
  if (!campaign) return c.json({ error: { code: 'not_found', message: 'Campaign not found' } }, 404);
  return c.json(previewLink(campaign, c.req.query()), 200, { 'Cache-Control': 'no-store' });
});
