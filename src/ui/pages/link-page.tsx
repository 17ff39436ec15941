/**
 * `/campaigns/:id/links/:linkId`: one link — its short URL and QR code, its
 * figures over a period, visits and conversions per day, channels × devices,
 * countries, referring sites, and the conversions credited to it.
 */
import type { Campaign } from '../../db/campaigns';
import type { AttributionModel } from '../../domain/vocab';
import type { LinkReport } from '../../services/campaign-page';
import type { Formatters, Texts } from '../i18n';
import { Layout } from '../layout';
import { revenueText } from '../report-query';
import { fill, vocabName } from '../texts';
import { RangeForm } from './campaign-forms';
import { campaignPath, kindName, type LinkRow } from './campaign-view';
import { Legend, LineChart, type Series } from './chart';
import { Notice } from './confirm';
import { RoutingSection } from './link-routing';
import type { RoutingReport } from '../../services/link-routing-report';
import { Card, Cell, DataTable, KeyCell, type PageView, PostButton } from './parts';

export interface LinkPageView extends PageView {
  canWrite: boolean;
  campaign: Campaign;
  row: LinkRow;
  notice: string | null;
  range: { from: string; to: string };
  model: AttributionModel;
  /** Null when the session may not read reports. */
  report: LinkReport | null;
  /** Visits and conversions per rule and variant; null for a link without rules, variants or cap (or without reports:read). */
  routing?: RoutingReport | null;
  chart: { days: string[]; visits: Series[]; conversions: Series[]; colours: Map<string, number> } | null;
}

export function LinkPage(view: LinkPageView) {
  const { t, fmt, campaign, row } = view;
  const { link } = row;
  const base = `/campaigns/${campaign.id}/links/${link.id}`;
  const writable = view.canWrite && campaign.status === 'active';
  const report = view.report;
  return (
    <Layout lang={view.lang} t={t} title={fill(t.cpLinkDetails, { link: row.shortUrl })} path={base} csrf={view.csrf} admin={view.admin} charts={!!report}>
      <p>
        <a href={campaignPath(campaign.id, 'links')}>← {campaign.name}</a>
      </p>
      <h1>
        <code data-short-url>{row.shortUrl}</code>
      </h1>
      <p class="muted">
        {[link.label, vocabName(t, 'channel', link.channel), kindName(t, link.kind), link.status === 'active' ? t.active : t.archived]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <Notice text={view.notice} />
      {link.status === 'archived' && (
        <div class="notice archived" role="status">
          <p>{t.cpArchivedLinkBanner}</p>
        </div>
      )}
      <section class="card link-head" aria-labelledby="link-head-title">
        <h2 id="link-head-title" class="visually-hidden">
          {t.shortUrl}
        </h2>
        <div class="qr">
          <img src={`/links/${link.id}/qr?format=png&size=256`} alt={`${t.qrCode} ${row.shortUrl}?qr=1`} width={256} height={256} id="link-qr" />
          <div>
            <dl class="facts">
              <dt>{t.cpTrackedUrl}</dt>
              <dd>
                <code>{row.trackedUrl}</code>
              </dd>
              {link.expiresAt && (
                <>
                  <dt>{t.cpExpiresAt}</dt>
                  <dd>{fmt.date(link.expiresAt)}</dd>
                </>
              )}
            </dl>
            <p class="actions">
              <a href={`${campaignPath(campaign.id, 'qr', { link: link.id })}#qr`}>{t.cpOpenQr}</a>
              {writable && <a href={`${campaignPath(campaign.id, 'links', { edit: link.id })}#edit-link`}>{t.edit}</a>}
              {writable && link.status === 'active' && (
                <a class="button secondary" href={`${base}/archive`}>
                  {t.cpArchiveLink}
                </a>
              )}
            </p>
          </div>
        </div>
        {writable && link.status === 'archived' && <PostButton action={`${base}/restore`} csrf={view.csrf} hidden={{ back: 'link' }} label={t.restoreLink} />}
      </section>
      {report ? <LinkFigures view={view} report={report} /> : <p class="muted">{t.cpNeedsReports}</p>}
      {view.routing && <RoutingSection t={t} fmt={view.fmt} report={view.routing} />}
    </Layout>
  );
}

function LinkFigures(props: { view: LinkPageView; report: LinkReport }) {
  const { view, report } = props;
  const { t, fmt, campaign, row } = view;
  const figures = report.figures;
  const stat = (label: string, value: string, metric: string) => (
    <div class="stat" data-metric={metric}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  const chart = view.chart;
  const hasChart = !!chart && [...chart.visits, ...chart.conversions].some((s) => s.values.some((v) => v > 0));
  return (
    <>
      <Card id="figures" title={t.cpRange}>
        <RangeForm t={t} action={`/campaigns/${campaign.id}/links/${row.link.id}`} range={view.range} model={view.model} />
        <dl class="stats">
          {stat(t.visits, fmt.num(figures.visits), 'visits')}
          {stat(t.clicks, fmt.num(figures.clicks), 'clicks')}
          {stat(t.scans, fmt.num(figures.scans), 'scans')}
          {stat(report.estimated ? t.uniqueVisitorsEstimated : t.cpVisitors, fmt.num(figures.visitors), 'visitors')}
          {stat(t.conversions, fmt.num(figures.conversions), 'conversions')}
          {stat(t.revenue, revenueText(fmt, t, figures.revenue), 'revenue')}
        </dl>
      </Card>
      <Card id="over-time" title={t.cpOverTime}>
        {chart && hasChart ? (
          <>
            <h3 class="muted">{t.visits}</h3>
            <LineChart title={t.visits} days={chart.days} series={chart.visits} colours={chart.colours} fmt={fmt} />
            <h3 class="muted">{t.conversions}</h3>
            <LineChart title={t.conversions} days={chart.days} series={chart.conversions} colours={chart.colours} fmt={fmt} dashed />
            <Legend colours={chart.colours} />
          </>
        ) : (
          <p class="empty">{t.cpNoVisits}</p>
        )}
      </Card>
      <Card id="devices" title={t.cpDevices}>
        <DataTable
          class="cards"
          rows={report.devices}
          empty={t.cpNoVisits}
          columns={[
            { label: t.channel },
            { label: t.device },
            { label: t.visits, num: true },
            { label: t.conversions, num: true },
            { label: t.revenue, num: true },
          ]}
          row={(device) => (
            <tr>
              <KeyCell>{vocabName(t, 'channel', device.channel as string | null)}</KeyCell>
              <Cell label={t.device} col="device">
                {vocabName(t, 'device', device.device_class as string | null)}
              </Cell>
              <Cell num label={t.visits} col="visits">
                {fmt.num(device.visits as number)}
              </Cell>
              <Cell num label={t.conversions} col="conversions">
                {fmt.num(device.conversions as number)}
              </Cell>
              <Cell num label={t.revenue} col="revenue">
                {fmt.money(Number(device.revenue ?? 0), (device.currency as string | null) ?? null)}
              </Cell>
            </tr>
          )}
        />
      </Card>
      <div class="pair">
        <Breakdown
          id="countries"
          title={t.cpCountries}
          label={t.cpCountry}
          none={t.cpCountryUnknown}
          rows={report.countries}
          show={fmt.country}
          t={t}
          fmt={fmt}
        />
        <Breakdown id="referrers" title={t.cpReferrers} label={t.cpReferrer} none={t.cpReferrerNone} rows={report.referrers} t={t} fmt={fmt} />
      </div>
      <Card id="conversions" title={t.cpLinkConversions}>
        <DataTable
          class="cards"
          rows={report.conversions}
          empty={t.cpNoConversions}
          columns={[
            { label: t.cpWhen },
            { label: t.cpType },
            { label: t.cpValue, num: true },
            { label: t.cpShare, num: true },
            { label: t.cpCredited, num: true },
          ]}
          row={(conversion) => (
            <tr data-conversion={conversion.id}>
              <KeyCell>{fmt.date(conversion.occurredAt)}</KeyCell>
              <Cell label={t.cpType}>{conversion.type}</Cell>
              <Cell num label={t.cpValue}>
                {conversion.value === null ? '–' : fmt.money(conversion.value, conversion.currency)}
              </Cell>
              <Cell num label={t.cpShare}>
                {fmt.pct(conversion.weight)}
              </Cell>
              <Cell num label={t.cpCredited}>
                {conversion.revenue === null ? '–' : fmt.money(conversion.revenue, conversion.currency)}
              </Cell>
            </tr>
          )}
        />
      </Card>
    </>
  );
}

function Breakdown(props: {
  id: string;
  title: string;
  label: string;
  none: string;
  rows: Array<{ value: string | null; visits: number }>;
  /** How a value reads (a country code as its name); as stored by default. */
  show?: (value: string) => string;
  t: Texts;
  fmt: Formatters;
}) {
  const { t, fmt } = props;
  return (
    <Card id={props.id} title={props.title}>
      <DataTable
        rows={props.rows}
        empty={t.cpNoVisits}
        columns={[{ label: props.label }, { label: t.visits, num: true }]}
        row={(row) => (
          <tr>
            <Cell class="wrap" col="value">
              {row.value === null ? props.none : (props.show?.(row.value) ?? row.value)}
            </Cell>
            <Cell num col="visits">
              {fmt.num(row.visits)}
            </Cell>
          </tr>
        )}
      />
    </Card>
  );
}
