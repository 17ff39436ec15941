/**
 * A stacked bar chart rendered on the server as SVG (no script needed): one
 * bar per UTC day, one segment per channel, colours from CSS classes c0…c9
 * (the CSP allows no inline styles). Hidden series are left out of the stack
 * and the scale; a day still running (today) is drawn faded and labelled as
 * partial, so it never reads as a drop. A table of the same numbers follows
 * for screen readers and anyone who wants the figures.
 */
import type { Formatters } from '../i18n';
import { niceMax } from './chart';

export interface BarSeries {
  /** The series' key (a channel) and its reader's name. */
  name: string;
  label: string;
  colour: number;
  values: number[];
}

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { left: 48, right: 12, top: 14, bottom: 30 };

export interface StackedBarsProps {
  id: string;
  title: string;
  days: string[];
  /** Visible series, bottom first. */
  series: BarSeries[];
  fmt: Formatters;
  /** The last day is still running. */
  partialLast: boolean;
  texts: { partial: string; day: string; total: string; showTable: string };
}

export function StackedBars(props: StackedBarsProps) {
  const { days, series, fmt } = props;
  const totals = days.map((_, index) => series.reduce((sum, s) => sum + s.values[index], 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(1, Math.min(40, slot * 0.72));
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(days.length / 7));
  const last = days.length - 1;
  return (
    <figure class="bars" id={props.id}>
      <section class="scroll" tabindex={0} aria-label={props.title}>
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${props.id}-svg-title`}>
          <title id={`${props.id}-svg-title`}>{props.title}</title>
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <g>
              <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(f * max)} y2={y(f * max)} />
              <text x={PAD.left - 6} y={y(f * max) + 4} text-anchor="end">
                {fmt.num(f * max)}
              </text>
            </g>
          ))}
          {days.map((day, index) => {
            let base = 0;
            const x = PAD.left + index * slot + (slot - barW) / 2;
            const partial = props.partialLast && index === last;
            return (
              <g class={partial ? 'day partial' : 'day'} data-day={day}>
                {series.map((s) => {
                  const value = s.values[index];
                  if (value <= 0) return null;
                  const top = y(base + value);
                  const height = y(base) - top;
                  base += value;
                  return (
                    <rect
                      class={`c${s.colour}`}
                      x={x.toFixed(1)}
                      y={top.toFixed(1)}
                      width={barW.toFixed(1)}
                      height={Math.max(0.5, height).toFixed(1)}
                      data-series={s.name}
                    >
                      <title>{`${s.label} · ${fmt.day(day)}${partial ? ` (${props.texts.partial})` : ''}: ${fmt.num(value)}`}</title>
                    </rect>
                  );
                })}
                {(index % labelEvery === 0 || partial) && (
                  <text x={(x + barW / 2).toFixed(1)} y={HEIGHT - 10} text-anchor="middle">
                    {partial ? `${fmt.day(day)}*` : fmt.day(day)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </section>
      {props.partialLast && <figcaption class="muted">{`* ${props.texts.partial}`}</figcaption>}
      <details class="chart-table">
        <summary>{props.texts.showTable}</summary>
        <section class="table-wrap" tabindex={0} aria-label={props.texts.showTable}>
          <table>
            <thead>
              <tr>
                <th scope="col">{props.texts.day}</th>
                {series.map((s) => (
                  <th scope="col" class="num">
                    {s.label}
                  </th>
                ))}
                <th scope="col" class="num">
                  {props.texts.total}
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((day, index) => (
                <tr>
                  <th scope="row">{props.partialLast && index === last ? `${fmt.day(day)}*` : fmt.day(day)}</th>
                  {series.map((s) => (
                    <td class="num">{fmt.num(s.values[index])}</td>
                  ))}
                  <td class="num">{fmt.num(totals[index])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </details>
    </figure>
  );
}
