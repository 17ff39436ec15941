/**
 * `GET /r/:code`: a friend opens a referrer's tell-a-friend link. Same hot
 * path as `GET /:slug`: answer 302 (no-store) to the landing page with the
 * referral UTM values and `tp_click`, record the `referral` touch carrying
 * the referrer's hash after the response, through the same buffered writer.
 */
import { Hono } from 'hono';
import type { ReferralTarget } from '../../db/referrals';
import { normaliseReferralCode, REFERRAL_CODE_PATTERN, referralChannel, referralLocation, referralUtm } from '../../domain/referrals';
import type { AppEnv } from '../../env';
import { lookupReferralTarget } from '../../services/link-cache';
import { goneLinkPage, unknownLinkPage } from '../../views/message-page';
import { trackedVisit, unavailable } from './redirect';

const NO_STORE = { 'Cache-Control': 'no-store' };

export const referralRedirect = new Hono<AppEnv>();

referralRedirect.get('/r/:code', async (c) => {
  const code = normaliseReferralCode(c.req.param('code'));
  if (!REFERRAL_CODE_PATTERN.test(code)) return c.html(unknownLinkPage(), 404, NO_STORE);
  const now = c.var.now();
  let referral: ReferralTarget | null;
  try {
    referral = await lookupReferralTarget(c.var.db, c.env, code, now);
  } catch (error) {
    console.error(`reading referral ${code} failed`, error);
    return unavailable(c);
  }
  if (!referral) return c.html(unknownLinkPage(), 404, NO_STORE);
  const destination = referral.destination ?? referral.landingUrl;
  if (referral.campaignStatus === 'archived' || !destination) return c.html(goneLinkPage(), 410, NO_STORE);

  return trackedVisit(c, now, (clickId) => ({
    location: referralLocation(destination, referral.utmCampaign, clickId),
    touch: {
      type: 'click',
      campaignId: referral.campaignId,
      linkId: null,
      channel: referralChannel(),
      referrerHash: referral.referrerHash,
      utm: referralUtm(referral.utmCampaign),
    },
  }));
});
