/** The removal effects of a report under model=markov: one row per channel of the chain. */
import type { MarkovSummary } from '../../services/markov';
import type { Formatters, Texts } from '../i18n';
import { fill } from '../texts/fill';
import { vocabName } from '../texts/index';

const utcMinute = (iso: string) => iso.replace('T', ' ').slice(0, 16) + ' UTC';

/** The removal effects, or, while the cron computes the range's fit, what the figures are meanwhile. */
export function RemovalEffects(props: { t: Texts; fmt: Formatters; markov: MarkovSummary }) {
  const { t, fmt, markov } = props;
  if (markov.status === 'computing')
    return (
      <section class="card" id="removal-effects" aria-labelledby="removal-effects-title">
        <h2 id="removal-effects-title">{t.removalEffects}</h2>
        <p role="status" id="markov-computing">
          {fill(t.markovComputing, { time: utcMinute(markov.requested_at ?? '') })}
        </p>
      </section>
    );
  if (markov.channels.length === 0) return null;
  return (
    <section class="card" id="removal-effects" aria-labelledby="removal-effects-title">
      <h2 id="removal-effects-title">{t.removalEffects}</h2>
      <p class="muted">{fill(t.markovJourneys, { journeys: fmt.num(markov.journeys), converting: fmt.num(markov.converting_journeys) })}</p>
      {markov.computed_at ? (
        <p class="muted" id="markov-computed-at">
          {fill(t.markovComputedAt, { time: utcMinute(markov.computed_at) })}
        </p>
      ) : null}
      <section class="table-wrap" tabindex={0} aria-label={t.removalEffects}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.channel}</th>
              <th scope="col" class="num">
                {t.removalEffect}
              </th>
              <th scope="col" class="num">
                {t.removalEffectValue}
              </th>
              <th scope="col" class="num">
                {t.conversions}
              </th>
            </tr>
          </thead>
          <tbody>
            {markov.channels.map((row) => (
              <tr data-channel={row.channel}>
                <th scope="row">{vocabName(t, 'channel', row.channel)}</th>
                <td class="num" data-col="removal_effect">
                  {fmt.pct(row.removal_effect)}
                </td>
                <td class="num" data-col="removal_effect_value">
                  {fmt.pct(row.removal_effect_value)}
                </td>
                <td class="num" data-col="conversions">
                  {fmt.num(row.conversions)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p class="muted">{t.removalEffectsNote}</p>
    </section>
  );
}
