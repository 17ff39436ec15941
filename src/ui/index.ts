/** The dashboard: static assets, sign-in, and the pages. Mounted before the redirect router. */
import { Hono } from 'hono';
import { codeReports } from '../routes/code-reports';
import { loyaltyReports } from '../routes/loyalty-reports';
import { loyaltyProgramReportRoute } from '../routes/loyalty-program-report';
import { referralReport } from '../routes/referral-report';
import { customerValue } from '../routes/customer-value';
import { customerSegments } from '../routes/customer-segments';
import { reports } from '../routes/reports';
import { pathsReportRoute } from '../routes/paths-report';
import { pageContext, requireSession, type UiEnv } from './context';
import { assets } from './assets';
import { authPages } from './routes/auth';
import { campaignPage } from './routes/campaign';
import { campaignLinks } from './routes/campaign-links';
import { campaignPages } from './routes/campaigns';
import { connectionPages } from './routes/connections';
import { currencyPages } from './routes/currency';
import { IMPORT_DATA, importData, importPages } from './routes/imports';
import { keyPages } from './routes/keys';
import { domainPages } from './routes/domains';
import { webhookPages } from './routes/webhooks';
import { linkPreview } from './routes/link-preview';
import { loyaltyPages } from './routes/loyalty';
import { loyaltySetupPages } from './routes/loyalty-setup';
import { overviewPage } from './routes/overview';
import { reportPages } from './routes/reports';
import { spendPages } from './routes/spend';

/** Every path the dashboard answers (reserved slugs, so no short URL can take them); `pageContext` runs on these alone. */
export const DASHBOARD_PATHS = [
  '/',
  '/signin',
  '/signout',
  '/settings/*',
  '/campaigns/*',
  '/links/*',
  '/codes/*',
  '/reports/*',
  '/loyalty',
  '/loyalty/*',
  '/imports',
  '/imports/*',
] as const;

export const dashboard = new Hono<UiEnv>();
for (const path of DASHBOARD_PATHS) dashboard.use(path, pageContext);
dashboard.route('/', assets);
dashboard.route('/', authPages);
dashboard.route('/', overviewPage);
dashboard.route('/', campaignPages);
dashboard.route('/', campaignPage);
dashboard.route('/', campaignLinks);
dashboard.route('/', linkPreview);
dashboard.route('/', spendPages);
dashboard.route('/', reportPages);
dashboard.route('/', keyPages);
dashboard.route('/', domainPages);
dashboard.route('/', webhookPages);
dashboard.route('/', currencyPages);
dashboard.route('/', connectionPages);
dashboard.route('/', loyaltyPages);
dashboard.route('/', loyaltySetupPages);
dashboard.route('/', importPages);
dashboard.route(IMPORT_DATA, importData);

/**
 * The report API's own routes (JSON and CSV) under /reports/data/*, for the
 * session instead of a bearer key: the CSV links of the reports page. Only GET.
 */
export const REPORT_DATA = '/reports/data';
const reportData = new Hono<UiEnv>();
reportData.use('*', requireSession('reports:read'));
reportData.route('/', reports as never);
reportData.route('/', pathsReportRoute as never);
reportData.route('/', codeReports as never);
reportData.route('/', loyaltyReports as never);
reportData.route('/', referralReport as never);
reportData.route('/', customerValue as never);
reportData.route('/', customerSegments as never);
reportData.route('/', loyaltyProgramReportRoute as never);
dashboard.route(REPORT_DATA, reportData);
