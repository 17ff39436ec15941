/** The bonus program's pages share one heading row of section links. */
import type { Texts } from '../i18n';
import { SectionTabs, type SectionTab } from './section-tabs';

/** The bonus program's pages, in the order the tabs show them; the setup pages are for admins. */
export const LOYALTY_TABS: readonly SectionTab[] = [
  { path: '/loyalty', text: 'lpTabReport' },
  { path: '/loyalty/draws', text: 'lpTabDraws' },
  { path: '/loyalty/program', text: 'lpTabProgram', admin: true },
  { path: '/loyalty/rules', text: 'lpTabRules', admin: true },
  { path: '/loyalty/rewards', text: 'lpTabRewards', admin: true },
  { path: '/loyalty/challenges', text: 'lpTabChallenges', admin: true },
];

export const LoyaltyTabs = (props: { t: Texts; path: string; admin?: boolean }) => (
  <SectionTabs t={props.t} tabs={LOYALTY_TABS} label="lpTabs" path={props.path} admin={props.admin} />
);
