/**
 * The "by channel and day" card of the overview and the reports page: a switch
 * between visits and conversions, the stacked bars, and a legend whose entries
 * switch a channel off and on (links carrying `hide`, so it works without
 * script and the view can be shared).
 */
import { ATTRIBUTED_CHANNELS } from '../../domain/vocab';
import { daysOf } from '../page-query';
import { BAR_METRICS, type BarMetric } from '../ranges';
import { fill, type Formatters, type Texts } from '../i18n';
import { vocabName } from '../texts/index';
import { StackedBars, type BarSeries } from './bars';

const CHANNEL_ORDER: readonly string[] = ATTRIBUTED_CHANNELS;

export function ChannelBars(props: {
  t: Texts;
  fmt: Formatters;
  from: string;
  to: string;
  cells: ReadonlyArray<{ day: string; channel: string; visits: number; conversions: number }>;
  metric: BarMetric;
  hidden: ReadonlySet<string>;
  partialLast: boolean;
  /** The page's URL with `changes` applied to its query. */
  href: (changes: Record<string, string | undefined>) => string;
}) {
  const { t, fmt, metric, hidden } = props;
  const days = daysOf(props);
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const channels = [...new Set(props.cells.map((cell) => cell.channel))].sort((a, b) => CHANNEL_ORDER.indexOf(a) - CHANNEL_ORDER.indexOf(b));
  const series: BarSeries[] = channels.map((channel) => {
    const values = days.map(() => 0);
    for (const cell of props.cells) if (cell.channel === channel && dayIndex.has(cell.day)) values[dayIndex.get(cell.day)!] += cell[metric];
    return { name: channel, label: vocabName(t, 'channel', channel), colour: Math.max(0, CHANNEL_ORDER.indexOf(channel)), values };
  });
  const toggle = (channel: string) => {
    const next = new Set(hidden);
    if (next.has(channel)) next.delete(channel);
    else next.add(channel);
    return props.href({ hide: [...next].sort().join(',') || undefined });
  };
  const label = (name: BarMetric) => (name === 'visits' ? t.visits : t.conversions);
  return (
    <section class="card" id="by-channel" aria-labelledby="by-channel-title">
      <div class="card-head">
        <h2 id="by-channel-title">{t.byChannel}</h2>
        <nav class="switch" aria-label={t.byChannel}>
          {BAR_METRICS.map((name) => (
            <a href={props.href({ metric: name === 'visits' ? undefined : name })} aria-current={metric === name ? 'true' : undefined}>
              {label(name)}
            </a>
          ))}
        </nav>
      </div>
      {series.length === 0 ? (
        <p class="empty">{t.noData}</p>
      ) : (
        <>
          <StackedBars
            id="channel-bars"
            title={`${label(metric)} · ${t.byChannel}`}
            days={days}
            series={series.filter((s) => !hidden.has(s.name))}
            fmt={fmt}
            partialLast={props.partialLast}
            texts={{ partial: t.partialDay, day: t.dayColumn, total: t.total, showTable: t.showTable }}
          />
          <ul class="legend toggles">
            {series.map((s) => {
              const shown = !hidden.has(s.name);
              return (
                <li>
                  <a
                    href={toggle(s.name)}
                    class={shown ? undefined : 'off'}
                    data-series={s.name}
                    aria-label={fill(shown ? t.hideSeries : t.showSeries, { name: s.label })}
                  >
                    <span class={`swatch c${s.colour}`} aria-hidden="true"></span>
                    {s.label}
                    {!shown && <span class="muted"> ({t.hidden})</span>}
                  </a>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
