/**
 * The `data` of each outgoing webhook event: the object as the API answers it, where the API's answer does not
 * depend on the request (link URLs built from the request's origin are left out; `slug` is there).
 */
import type { LinkWithCampaign } from '../db/links';
import { linkJson } from './links';

/** link.created: the link as `GET /api/v1/links/:id` answers it, without short_url and qr_url. */
export function linkEventData(link: LinkWithCampaign) {
  const { short_url: _short, qr_url: _qr, ...data } = linkJson(link, '');
  return data;
}
