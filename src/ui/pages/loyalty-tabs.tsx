/** The bonus program's pages share one heading row of section links (plain links: no script, shareable). */
import type { Texts } from '../i18n';

type TabText = 'lpTabReport' | 'lpTabProgram' | 'lpTabRules' | 'lpTabRewards' | 'lpTabChallenges' | 'lpTabDraws';

/** The bonus program's pages, in the order the tabs show them. */
export const LOYALTY_TABS: ReadonlyArray<{ path: string; text: TabText }> = [
  { path: '/loyalty', text: 'lpTabReport' },
  { path: '/loyalty/program', text: 'lpTabProgram' },
  { path: '/loyalty/rules', text: 'lpTabRules' },
  { path: '/loyalty/rewards', text: 'lpTabRewards' },
  { path: '/loyalty/challenges', text: 'lpTabChallenges' },
];

export const LoyaltyTabs = (props: { t: Texts; path: string }) => (
  <nav class="sections" aria-label={props.t.lpTabs}>
    {LOYALTY_TABS.map((tab) => (
      <a href={tab.path} aria-current={tab.path === props.path ? 'page' : undefined}>
        {props.t[tab.text]}
      </a>
    ))}
  </nav>
);
