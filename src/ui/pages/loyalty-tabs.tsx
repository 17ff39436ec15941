/** The bonus program's pages share one heading row of section links (plain links: no script, shareable). */
import type { Texts } from '../i18n';

type TabText = 'lpTabReport' | 'lpTabProgram' | 'lpTabRules' | 'lpTabRewards' | 'lpTabChallenges' | 'lpTabDraws';

/** The bonus program's pages, in the order the tabs show them. */
export const LOYALTY_TABS: ReadonlyArray<{ path: string; text: TabText; admin?: boolean }> = [
  { path: '/loyalty', text: 'lpTabReport' },
  { path: '/loyalty/draws', text: 'lpTabDraws' },
  { path: '/loyalty/program', text: 'lpTabProgram', admin: true },
  { path: '/loyalty/rules', text: 'lpTabRules', admin: true },
  { path: '/loyalty/rewards', text: 'lpTabRewards', admin: true },
  { path: '/loyalty/challenges', text: 'lpTabChallenges', admin: true },
];

/** The tabs a session may open: the setup pages are for admins. */
export const LoyaltyTabs = (props: { t: Texts; path: string; admin?: boolean }) => (
  <nav class="sections" aria-label={props.t.lpTabs}>
    {LOYALTY_TABS.filter((tab) => props.admin || !tab.admin).map((tab) => (
      <a href={tab.path} aria-current={tab.path === props.path ? 'page' : undefined}>
        {props.t[tab.text]}
      </a>
    ))}
  </nav>
);
