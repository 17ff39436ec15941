/**
 * The dashboard's texts in English and German, as data: one module per area of
 * the dashboard, each with an `en` object and a `de` object of the same shape,
 * merged here into one dictionary per language.
 */
import * as base from './base';
import * as campaignPage from './campaign-page';
import * as connections from './connections';
import * as currency from './currency';
import * as customerSegments from './customer-segments';
import * as domains from './domains';
import * as imports from './imports';
import * as linkRouting from './link-routing';
import * as journeys from './journeys';
import * as loyalty from './loyalty';
import * as loyaltySetup from './loyalty-setup';
import * as overview from './overview';
import * as settings from './settings';
import * as spend from './spend';
import * as vocab from './vocab';
import * as webhooks from './webhooks';

export const en = {
  ...base.en,
  ...settings.en,
  ...vocab.en,
  ...overview.en,
  ...campaignPage.en,
  ...currency.en,
  ...loyalty.en,
  ...loyaltySetup.en,
  ...connections.en,
  ...imports.en,
  ...webhooks.en,
  ...linkRouting.en,
  ...domains.en,
  ...journeys.en,
  ...spend.en,
  ...customerSegments.en,
};
export type Texts = typeof en;
export const de: Texts = {
  ...base.de,
  ...settings.de,
  ...vocab.de,
  ...overview.de,
  ...campaignPage.de,
  ...currency.de,
  ...loyalty.de,
  ...loyaltySetup.de,
  ...connections.de,
  ...imports.de,
  ...webhooks.de,
  ...linkRouting.de,
  ...domains.de,
  ...journeys.de,
  ...spend.de,
  ...customerSegments.de,
};
export { vocabName } from './vocab';
export { fill } from './fill';
