import { ATTRIBUTED_CHANNELS, DIRECT, type ReportModel } from '../../domain/vocab';
import type { MarkovSummary } from '../../services/markov';
import type { UnconvertedPart } from '../../domain/currency';
import type { Metrics, ReportValue } from '../../services/report-metrics';
import { revenueText } from '../report-query';
import { Layout } from '../layout';
import { vocabName } from '../texts/index';
import { RemovalEffects } from './removal-effects';
import { SubpageHead, type SubpageFrame } from './subpage';

type Row = Record<string, ReportValue>;

export interface ModelsView extends SubpageFrame {
  reports: Array<{ model: ReportModel; rows: Row[]; totals: Metrics; markov?: MarkovSummary }>;
}

const CHANNEL_ORDER: readonly string[] = ATTRIBUTED_CHANNELS;

/** Each model's report row by channel. */
function byChannel(reports: ModelsView['reports']): { channels: string[]; cells: Map<string, Row> } {
  const cells = new Map<string, Row>();
  const channels = new Set<string>();
  for (const { model, rows } of reports) {
    for (const row of rows) {
      const channel = String(row.channel ?? DIRECT);
      channels.add(channel);
      cells.set(`${model}|${channel}`, row);
    }
  }
  return { channels: [...channels].sort((a, b) => CHANNEL_ORDER.indexOf(a) - CHANNEL_ORDER.indexOf(b)), cells };
}

export function ModelsPage(view: ModelsView) {
  const { t, fmt } = view;
  const { channels, cells } = byChannel(view.reports);
  const money = (row: Row | Metrics | undefined) =>
    row
      ? revenueText(fmt, t, {
          revenue: Number(row.revenue ?? 0),
          currency: (row.currency as string | null) ?? null,
          unconverted: (row.unconverted ?? []) as UnconvertedPart[],
        })
      : fmt.num(0);
  const conversionsOf = (row: Row | Metrics | undefined) => Number(row?.conversions ?? 0);
  const markov = view.reports.find((report) => report.markov)?.markov;
  const active = channels.filter((channel) => view.reports.some(({ model }) => conversionsOf(cells.get(`${model}|${channel}`)) > 0));
  return (
    <Layout lang={view.lang} t={t} title={t.compareModels} path="/reports/models" csrf={view.csrf} admin={view.admin}>
      <SubpageHead view={view} path="/reports/models" title={t.compareModels} />
      <section class="card" id="models-explained" aria-labelledby="models-explained-title">
        <h2 id="models-explained-title">{t.modelsExplained}</h2>
        <dl class="models-explained">
          {view.reports.map(({ model }) => (
            <>
              <dt>{vocabName(t, 'model', model)}</dt>
              <dd>{vocabName(t, 'modelAbout', model)}</dd>
            </>
          ))}
        </dl>
      </section>
      <section class="card" id="model-comparison" aria-labelledby="model-comparison-title">
        <h2 id="model-comparison-title">{t.modelComparison}</h2>
        {active.length === 0 ? (
          <p class="empty">{t.noConversionsInRange}</p>
        ) : (
          <section class="table-wrap" tabindex={0} aria-label={t.modelComparison}>
            <table class="sticky-first">
              <thead>
                <tr>
                  <th scope="col" rowspan={2}>
                    {t.channel}
                  </th>
                  {view.reports.map(({ model }) => (
                    <th scope="colgroup" colspan={2} class="num">
                      {vocabName(t, 'model', model)}
                    </th>
                  ))}
                </tr>
                <tr>
                  {view.reports.map(() => (
                    <>
                      <th scope="col" class="num">
                        {t.conversions}
                      </th>
                      <th scope="col" class="num">
                        {t.revenue}
                      </th>
                    </>
                  ))}
                </tr>
              </thead>
              <tbody>
                {active.map((channel) => (
                  <tr data-channel={channel}>
                    <th scope="row">{vocabName(t, 'channel', channel)}</th>
                    {view.reports.map(({ model }) => {
                      const cell = cells.get(`${model}|${channel}`);
                      return (
                        <>
                          <td class="num" data-model={model} data-col="conversions">
                            {fmt.num(conversionsOf(cell))}
                          </td>
                          <td class="num" data-model={model} data-col="revenue">
                            {money(cell)}
                          </td>
                        </>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr class="totals">
                  <th scope="row">{t.total}</th>
                  {view.reports.map(({ model, totals }) => (
                    <>
                      <td class="num" data-model={model} data-col="conversions">
                        {fmt.num(conversionsOf(totals))}
                      </td>
                      <td class="num" data-model={model} data-col="revenue">
                        {money(totals)}
                      </td>
                    </>
                  ))}
                </tr>
              </tfoot>
            </table>
          </section>
        )}
        <p class="muted">{t.modelComparisonNote}</p>
      </section>
      {markov ? <RemovalEffects t={t} fmt={fmt} markov={markov} /> : null}
    </Layout>
  );
}
