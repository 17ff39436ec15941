/** `/loyalty/draws`: prize draws with their seed hash, status and winners; admins create draws and run closed ones. */
import { DRAW_SOURCES, LOYALTY_EVENT_TYPES } from '../../domain/vocab';
import type { DrawJson } from '../../services/draws';
import type { FieldErrors, FormValues } from '../forms';
import { fill, type Texts } from '../i18n';
import { Csrf, Field, Layout } from '../layout';
import { LoyaltyTabs } from './loyalty-tabs';
import { pickedValue } from '../dates';
import { FormError, type PageView, PostButton, Submit } from './parts';

export interface DrawsView extends PageView {
  draws: DrawJson[];
  notice: string | null;
  values?: FormValues;
  errors?: FieldErrors;
}

const nameOf = (t: Texts, key: string) => (t as Record<string, string>)[key] ?? key;

function DrawCard(props: { view: DrawsView; draw: DrawJson }) {
  const { view, draw } = props;
  const { t, fmt } = view;
  return (
    <section class="card" id={`draw-${draw.id}`} aria-labelledby={`draw-${draw.id}-title`} data-status={draw.status}>
      <h2 id={`draw-${draw.id}-title`}>{draw.name}</h2>
      <dl class="facts">
        <dt>{t.drawStatus}</dt>
        <dd data-field="status">{nameOf(t, `drawStatus_${draw.status}`)}</dd>
        <dt>{t.drawWindow}</dt>
        <dd>
          {pickedValue(draw.starts_at)} – {pickedValue(draw.ends_at)} UTC
        </dd>
        <dt>{t.drawSource}</dt>
        <dd>
          {nameOf(t, `drawSource_${draw.source}`)}
          {draw.event_type ? ` (${draw.event_type}${draw.event_name ? `: ${draw.event_name}` : ''})` : ''}
        </dd>
        <dt>{t.drawPrizes}</dt>
        <dd>{fmt.num(draw.prizes)}</dd>
        <dt>{t.drawSeedHash}</dt>
        <dd>
          <code class="hash" data-field="seed_hash">
            {draw.seed_hash}
          </code>
        </dd>
        {draw.seed && (
          <>
            <dt>{t.drawSeed}</dt>
            <dd>
              <code class="hash" data-field="seed">
                {draw.seed}
              </code>
            </dd>
          </>
        )}
      </dl>
      {draw.status === 'drawn' && (
        <>
          <h3>{t.drawWinners}</h3>
          {draw.winners.length === 0 ? (
            <p class="empty">{t.drawNoWinners}</p>
          ) : (
            <ol class="winners">
              {draw.winners.map((winner) => (
                <li data-place={winner.place}>
                  <code>{winner.member_id}</code> <span class="muted">({winner.entry_id})</span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      <p>
        <a href={`/loyalty/draws/${draw.id}/entries.csv`} aria-label={fill(t.drawEntriesOf, { name: draw.name })}>
          {t.drawEntries}
        </a>
      </p>
      {view.admin && draw.status === 'closed' && (
        <PostButton action={`/loyalty/draws/${draw.id}/run`} csrf={view.csrf} label={t.drawRun} ariaLabel={fill(t.drawRunLabel, { name: draw.name })} />
      )}
    </section>
  );
}

function CreateForm(props: { view: DrawsView }) {
  const { view } = props;
  const { t } = view;
  const values = view.values ?? {};
  const errors = view.errors ?? {};
  const select = (name: string, label: string, options: readonly string[], show: (value: string) => string, optional: boolean) => (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} aria-invalid={errors[name] ? 'true' : undefined} aria-describedby={errors[name] ? `f-${name}-error` : undefined}>
        {optional && <option value="">–</option>}
        {options.map((option) => (
          <option value={option} selected={values[name] === option}>
            {show(option)}
          </option>
        ))}
      </select>
      {errors[name] && (
        <span class="error" id={`f-${name}-error`}>
          {errors[name]}
        </span>
      )}
    </div>
  );
  return (
    <section class="card" id="draw-create" aria-labelledby="draw-create-title">
      <h2 id="draw-create-title">{t.drawCreate}</h2>
      <FormError error={errors._} />
      <form class="stack" method="post" action="/loyalty/draws">
        <Csrf token={view.csrf} />
        <Field name="name" label={t.drawName} value={values.name} error={errors.name} required wide />
        {select('source', t.drawSource, DRAW_SOURCES, (value) => nameOf(t, `drawSource_${value}`), false)}
        <Field name="campaign_id" label={t.drawCampaign} value={values.campaign_id} error={errors.campaign_id} />
        <Field name="batch_id" label={t.drawBatch} value={values.batch_id} error={errors.batch_id} />
        {select('event_type', t.drawEventType, LOYALTY_EVENT_TYPES, (value) => value, true)}
        <Field name="event_name" label={t.drawEventName} value={values.event_name} error={errors.event_name} />
        <Field name="starts_at" label={t.drawStarts} type="datetime-local" value={pickedValue(values.starts_at)} error={errors.starts_at} required />
        <Field name="ends_at" label={t.drawEnds} type="datetime-local" value={pickedValue(values.ends_at)} error={errors.ends_at} required />
        <Field name="prizes" label={t.drawPrizes} type="number" value={values.prizes} error={errors.prizes} required attrs={{ min: 1 }} />
        <Field
          name="max_entries_per_member"
          label={t.drawMaxEntries}
          type="number"
          value={values.max_entries_per_member}
          error={errors.max_entries_per_member}
          attrs={{ min: 1 }}
        />
        <Submit label={t.drawCreate} />
      </form>
    </section>
  );
}

export function DrawsPage(view: DrawsView) {
  const { t } = view;
  return (
    <Layout lang={view.lang} t={t} title={t.drawsTitle} path="/loyalty/draws" csrf={view.csrf} admin={view.admin}>
      <h1>{t.drawsTitle}</h1>
      <LoyaltyTabs t={t} path="/loyalty/draws" admin={view.admin} />
      <p class="muted">{t.drawsIntro}</p>
      {view.notice && (
        <p class="notice ok" role="status" id="done">
          {view.notice}
        </p>
      )}
      {view.draws.length === 0 && <p class="empty">{t.drawNone}</p>}
      {view.draws.map((draw) => (
        <DrawCard view={view} draw={draw} />
      ))}
      {view.admin && <CreateForm view={view} />}
    </Layout>
  );
}
