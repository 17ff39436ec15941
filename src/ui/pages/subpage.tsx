/** The frame of the report subpages (model comparison, conversion paths): the way back, the title, range and campaign. */
import type { Child } from 'hono/jsx';
import type { Campaign } from '../../db/campaigns';
import type { FieldErrors } from '../forms';
import type { Formatters, Lang, Texts } from '../i18n';
import type { RangePreset } from '../ranges';
import { CampaignSelect, KeptParams, RangePicker } from './range-picker';

export interface SubpageFrame {
  lang: Lang;
  t: Texts;
  fmt: Formatters;
  csrf: string;
  admin?: boolean;
  params: Record<string, string | undefined>;
  preset: RangePreset | undefined;
  from: string;
  to: string;
  errors: FieldErrors;
  campaigns: Campaign[];
  campaignId: string | undefined;
}

/** The way back, the title, the range picker and the filter form (campaign, plus the page's own `filters` fields named `filterNames`). */
export function SubpageHead(props: { view: SubpageFrame; path: string; title: string; filters?: Child; filterNames?: readonly string[] }) {
  const { view, path } = props;
  const { t } = view;
  return (
    <>
      <p>
        <a href="/reports">← {t.reports}</a>
      </p>
      <h1>{props.title}</h1>
      <section class="card filters-card">
        <RangePicker t={t} path={path} params={view.params} from={view.from} to={view.to} preset={view.preset} errors={view.errors} />
        <form class="model-pick" method="get" action={path}>
          <KeptParams params={view.params} except={['campaign_id', ...(props.filterNames ?? [])]} />
          <CampaignSelect t={t} campaigns={view.campaigns} selected={view.campaignId} />
          {props.filters}
          <button type="submit" class="secondary">
            {t.show}
          </button>
        </form>
      </section>
    </>
  );
}
