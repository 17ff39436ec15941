/** A heading row of section links shared by a group of pages (plain links: no script, shareable). */
import type { Texts } from '../i18n';

type TextKey = { [K in keyof Texts]: Texts[K] extends string ? K : never }[keyof Texts];

export interface SectionTab {
  path: string;
  text: TextKey;
  /** Shown to admin sessions only. */
  admin?: boolean;
}

/** The tabs a session may open, the current one marked. */
export const SectionTabs = (props: { t: Texts; tabs: readonly SectionTab[]; label: TextKey; path: string; admin?: boolean }) => (
  <nav class="sections" aria-label={props.t[props.label]}>
    {props.tabs
      .filter((tab) => props.admin || !tab.admin)
      .map((tab) => (
        <a href={tab.path} aria-current={tab.path === props.path ? 'page' : undefined}>
          {props.t[tab.text]}
        </a>
      ))}
  </nav>
);
