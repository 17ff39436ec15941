/**
 * `/w/:token`: a member's wallet page behind a signed link, and `POST /w/:token/rewards/:id/redeem`, the redeem
 * button's form (no script), which answers 303 back to the page with the outcome so a reload redeems nothing.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../env';
import { publicOrigin } from '../../lib/origin';
import { openWallet, redeemFromWallet, type WalletRefused } from '../../services/wallet';
import { LANGUAGES, pickLanguage, type Language } from '../../views/redeem-texts';
import { walletMessagePage, walletPage } from '../../views/wallet-page';
import { WALLET_REFUSALS, type WalletRefusal } from '../../domain/wallet';
import { walletView } from './wallet-view';

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Content-Type-Options': 'nosniff',
  Vary: 'Accept-Language',
};

const REDEMPTION_ID = /^rdm_[0-9A-Z]{26}$/;

/** `?lang=de|en` wins; otherwise the browser's Accept-Language. */
function languageOf(c: Context<AppEnv>): Language {
  const asked = c.req.query('lang');
  return (LANGUAGES as readonly string[]).includes(asked ?? '') ? (asked as Language) : pickLanguage(c.req.header('Accept-Language'));
}

const STATUS: Record<WalletRefused, 404 | 410> = { invalid: 404, revoked: 410, closed: 404 };

function refusedPage(c: Context<AppEnv>, language: Language, reason: WalletRefused) {
  const page = walletMessagePage(language, reason === 'closed' ? 'closed' : 'invalid');
  return c.html(page, STATUS[reason], { ...PAGE_HEADERS, 'Content-Language': language });
}

export const walletRouter = new Hono<AppEnv>();

walletRouter.get('/w/:token', async (c) => {
  const language = languageOf(c);
  const redeemed = c.req.query('redeemed') ?? '';
  const refused = c.req.query('refused') ?? '';
  const token = c.req.param('token');
  const opened = await openWallet(c.var.db, c.env, token, REDEMPTION_ID.test(redeemed) ? redeemed : null, c.var.now());
  if (!opened.ok) return refusedPage(c, language, opened.reason);
  const request = {
    token,
    language,
    origin: publicOrigin(c),
    refused: (WALLET_REFUSALS as readonly string[]).includes(refused) ? (refused as WalletRefusal) : null,
  };
  return c.html(walletPage(walletView(opened.data, request, opened.referralCode)), 200, { ...PAGE_HEADERS, 'Content-Language': language });
});

walletRouter.post('/w/:token/rewards/:id/redeem', async (c) => {
  const language = languageOf(c);
  const token = c.req.param('token');
  const outcome = await redeemFromWallet(c.var.db, c.env, token, c.req.param('id'), c.var.now());
  if ('invalid' in outcome) return refusedPage(c, language, outcome.invalid);
  // The token verified: it is a member id, a number and hex, so it goes back into our own path as it is.
  const result = 'redemptionId' in outcome ? `redeemed=${outcome.redemptionId}` : `refused=${outcome.refused}`;
  return c.redirect(`/w/${token}?lang=${language}&${result}`, 303);
});
