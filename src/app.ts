/** Builds the Hono app: shared middleware, error handling, and one router per resource. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { mainDb } from './db/shards';
import { apiDocument } from './schemas/api-document';
import { describeWebhooks } from './schemas/webhook-events';
import { apiDocs } from './routes/public/api-docs';
import type { AppEnv } from './env';
import { ApiError, type ErrorBody } from './lib/errors';
import { systemClock, type Clock } from './lib/time';
import { campaigns } from './routes/campaigns';
import { conversions } from './routes/conversions';
import { customers } from './routes/customers';
import { draws } from './routes/draws';
import { loyaltyReports } from './routes/loyalty-reports';
import { loyaltyProgram } from './routes/loyalty-program';
import { loyaltyRules } from './routes/loyalty-rules';
import { loyaltyEvents } from './routes/loyalty-events';
import { loyaltyChallenges } from './routes/loyalty-challenges';
import { loyaltyProgramReportRoute } from './routes/loyalty-program-report';
import { loyaltyMembers } from './routes/loyalty-members';
import { loyaltyRewards } from './routes/loyalty-rewards';
import { codeBatches } from './routes/code-batches';
import { codeReports } from './routes/code-reports';
import { codes } from './routes/codes';
import { promoCodes } from './routes/promo-codes';
import { redeemPageRouter } from './routes/public/redeem-page';
import { keys } from './routes/keys';
import { imports } from './routes/imports';
import { links } from './routes/links';
import { domains } from './routes/domains';
import { hostRouting } from './routes/public/host-routing';
import { wellKnown } from './routes/public/well-known';
import { maintenance } from './routes/maintenance';
import { openPixel } from './routes/public/open-pixel';
import { qr } from './routes/qr';
import { redirect } from './routes/public/redirect';
import { referralRedirect } from './routes/public/referral-redirect';
import { referralReport } from './routes/referral-report';
import { refunds } from './routes/refunds';
import { referrals } from './routes/referrals';
import { reports } from './routes/reports';
import { pathsReportRoute } from './routes/paths-report';
import { exchangeRates } from './routes/exchange-rates';
import { integrations } from './routes/integrations';
import { shopHooks } from './routes/public/shop-hooks';
import { rawExports } from './routes/exports';
import { settings } from './routes/settings';
import { spend } from './routes/spend';
import { customerValue } from './routes/customer-value';
import { customerSegments } from './routes/customer-segments';
import { trackerScriptRoute } from './routes/public/tracker-script';
import { walletRouter } from './routes/public/wallet';
import { webhooks } from './routes/webhooks';
import { hasEmitted, sendEmitted } from './services/webhook-events';
import { dashboard } from './ui';

export interface AppOptions {
  now?: Clock;
}

/** The Worker's app; `now` is injectable so tests can pin the clock. */
export function createApp(options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const now = options.now ?? systemClock;
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('db', mainDb(c.env));
    c.set('now', now);
    await next();
    // Webhook deliveries this request emitted are sent after its response (a WeakMap lookup when there are none).
    if (hasEmitted(c.var.db)) {
      const sending = sendEmitted(c.var.db, c.env, now());
      try {
        c.executionCtx.waitUntil(sending);
      } catch {
        await sending; // no execution context (app.request in a script): send before answering
      }
    }
  });

  app.use('*', hostRouting);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.route('/api/v1', qr);
  app.route('/api/v1/keys', keys);
  app.route('/api/v1/campaigns', campaigns);
  app.route('/api/v1/links', links);
  app.route('/api/v1/domains', domains);
  app.route('/api/v1/imports', imports);
  app.route('/api/v1/maintenance', maintenance);
  app.route('/api/v1/conversions', conversions);
  app.route('/api/v1/conversions', refunds);
  app.route('/api/v1/reports', reports);
  app.route('/api/v1/reports', pathsReportRoute);
  app.route('/api/v1/reports', loyaltyReports);
  app.route('/api/v1/reports', loyaltyProgramReportRoute);
  app.route('/api/v1/customers', customers);
  app.route('/api/v1/code-batches', codeBatches);
  app.route('/api/v1/codes', codes);
  app.route('/api/v1/promo-codes', promoCodes);
  app.route('/api/v1/reports', codeReports);
  app.route('/api/v1/reports', referralReport);
  app.route('/api/v1/reports', customerValue);
  app.route('/api/v1/reports', customerSegments);
  app.route('/api/v1/referrals', referrals);
  app.route('/api/v1/settings', settings);
  app.route('/api/v1/exchange-rates', exchangeRates);
  app.route('/api/v1/spend', spend);
  app.route('/api/v1/loyalty/program', loyaltyProgram);
  app.route('/api/v1/loyalty/rules', loyaltyRules);
  app.route('/api/v1/loyalty/events', loyaltyEvents);
  app.route('/api/v1/loyalty/challenges', loyaltyChallenges);
  app.route('/api/v1/draws', draws);
  app.route('/api/v1/loyalty/rewards', loyaltyRewards);
  app.route('/api/v1/loyalty/members', loyaltyMembers);
  app.route('/api/v1/integrations', integrations);
  app.route('/api/v1/webhooks', webhooks);
  app.route('/api/v1/exports', rawExports);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  describeWebhooks(app.openAPIRegistry);
  app.get('/api/v1/openapi.json', (c) => c.json(apiDocument(app)));
  app.route('/', apiDocs);

  app.route('/', wellKnown);
  app.route('/', shopHooks);
  app.route('/', openPixel);
  app.route('/', trackerScriptRoute);
  app.route('/', redeemPageRouter);
  app.route('/', referralRedirect);
  app.route('/', walletRouter);
  app.route('/', dashboard);
  app.route('/', redirect);

  app.notFound((c) => c.json<ErrorBody>({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.body(), error.status, error.headers);
    if (error instanceof HTTPException && error.status === 400) {
      return c.json<ErrorBody>({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } }, 400);
    }
    if (error instanceof HTTPException) {
      return c.json<ErrorBody>({ error: { code: 'validation_error', message: error.message } }, error.status);
    }
    console.error('unhandled error', error);
    return c.json<ErrorBody>({ error: { code: 'internal_error', message: 'Something went wrong on our side' } }, 500);
  });
  return app;
}
