/** The admin's settings pages (keys, currency, shop connections, webhooks, domains) share one row of section links. */
import type { Texts } from '../i18n';
import { SectionTabs, type SectionTab } from './section-tabs';

export const SETTINGS_TABS: readonly SectionTab[] = [
  { path: '/settings/keys', text: 'navKeys' },
  { path: '/settings/currency', text: 'navCurrency' },
  { path: '/settings/connections', text: 'navConnections' },
  { path: '/settings/webhooks', text: 'navWebhooks' },
  { path: '/settings/domains', text: 'navDomains' },
];

export const SettingsTabs = (props: { t: Texts; path: string }) => (
  <SectionTabs t={props.t} tabs={SETTINGS_TABS} label="settingsTabs" path={props.path} admin />
);
