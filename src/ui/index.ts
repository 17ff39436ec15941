/** The dashboard: static assets, sign-in, and the pages. Mounted before the redirect router. */
import { Hono } from 'hono';
import type { UiEnv } from './context';
import { assets } from './assets';
import { authPages } from './routes/auth';
import { campaignPage } from './routes/campaign';
import { campaignPages } from './routes/campaigns';

export const dashboard = new Hono<UiEnv>();
dashboard.route('/', assets);
dashboard.route('/', authPages);
dashboard.route('/', campaignPages);
dashboard.route('/', campaignPage);
