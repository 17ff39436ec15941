/**
 * A hand-written SVG line chart, rendered on the server (no script needed):
 * one line per channel over the days of the range. Colours come from CSS
 * classes c0…c9, since the CSP allows no inline styles. The figure carries its
 * data in `data-chart`, from which app.js draws an interactive uPlot chart
 * (values per day on hover, channels toggled in its legend) in its place.
 */
import type { Formatters } from '../i18n';

export interface Series {
  name: string;
  values: number[];
}

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/** A round upper bound for the axis: 1, 2, 5 × 10^n. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

export function LineChart(props: { title: string; days: string[]; series: Series[]; colours: Map<string, number>; fmt: Formatters; dashed?: boolean }) {
  const { days, series, fmt } = props;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) => PAD.left + (days.length <= 1 ? plotW / 2 : (index * plotW) / (days.length - 1));
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(days.length / 6));
  return (
    <figure class="chart" data-chart={JSON.stringify({ days, series, dashed: !!props.dashed })}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.title}>
        <title>{props.title}</title>
        {ticks.map((tick) => (
          <g>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick) + 4} text-anchor="end">
              {fmt.num(tick)}
            </text>
          </g>
        ))}
        {days.map((day, index) =>
          index % labelEvery === 0 ? (
            <text x={x(index)} y={HEIGHT - 8} text-anchor="middle">
              {day.slice(5)}
            </text>
          ) : null,
        )}
        {series.map((s) => (
          <polyline
            class={`c${props.colours.get(s.name) ?? 9}${props.dashed ? ' conv' : ''}`}
            points={s.values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}
            data-series={s.name}
          >
            <title>{`${s.name}: ${fmt.num(s.values.reduce((a, b) => a + b, 0))}`}</title>
          </polyline>
        ))}
      </svg>
    </figure>
  );
}

/** The legend of channel colours. */
export const Legend = (props: { colours: Map<string, number> }) => (
  <ul class="legend">
    {[...props.colours].map(([name, index]) => (
      <li>
        <span class={`swatch c${index}`} aria-hidden="true"></span>
        {name}
      </li>
    ))}
  </ul>
);

/** Pivots day × channel cells into one series per channel over every day of the range. */
export function pivot(
  days: string[],
  cells: Array<{ day: string; channel: string; visits: number; conversions: number }>,
  metric: 'visits' | 'conversions',
): Series[] {
  const channels = [...new Set(cells.map((cell) => cell.channel))];
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  return channels.map((name) => {
    const values = days.map(() => 0);
    for (const cell of cells) if (cell.channel === name && dayIndex.has(cell.day)) values[dayIndex.get(cell.day)!] += cell[metric];
    return { name, values };
  });
}
