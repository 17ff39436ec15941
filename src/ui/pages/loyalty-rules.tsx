/** `/loyalty/rules`: the earning rules — a table of the active ones (archive) and a form for a new one (admin). */
import type { StoredRule } from '../../db/loyalty-rules';
import { ABC_SEGMENTS } from '../../domain/loyalty';
import type { Program } from '../../domain/loyalty-program';
import { ATTRIBUTED_CHANNELS, LOYALTY_EVENT_TYPES } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Texts } from '../i18n';
import { Csrf, Layout } from '../layout';
import { fill, vocabName } from '../texts';
import { DateTimeField } from './campaign-forms';
import { SelectField, TextField } from './loyalty-forms';
import { LoyaltyTabs } from './loyalty-tabs';
import { Cell, DataTable, FormError, KeyCell, type PageView, PostButton, Submit } from './parts';

export interface RulesView extends PageView {
  program: Program | null;
  rules: StoredRule[];
  campaigns: ReadonlyArray<{ id: string; name: string }>;
  /** What the last form did (POST-redirect-GET). */
  done?: 'saved' | 'archived';
  failed?: { values: FormValues; errors: FieldErrors };
}

/** What a rule pays, in words: "10", "1 per EUR from 10". */
function pointsText(t: Texts, fmt: Formatters, rule: StoredRule, program: Program | null): string {
  if (rule.kind !== 'purchase') return fmt.num(rule.points);
  const currency = rule.currency ?? program?.currency ?? '';
  const perUnit = `${fmt.num(rule.points)} ${fill(t.lpPerUnit, { currency })}`;
  return rule.minOrder ? `${perUnit}, ${fill(t.lpFromOrder, { amount: fmt.money(rule.minOrder, currency) })}` : perUnit;
}

/** A rule's conditions, in words; '–' when it pays for every event of its kind. */
function conditionsText(t: Texts, fmt: Formatters, rule: StoredRule, campaigns: RulesView['campaigns']): string {
  const parts: string[] = [];
  if (rule.eventName) parts.push(rule.eventName);
  if (rule.campaignId) parts.push(campaigns.find((campaign) => campaign.id === rule.campaignId)?.name ?? rule.campaignId);
  if (rule.channel) parts.push(vocabName(t, 'channel', rule.channel));
  if (rule.startsAt || rule.endsAt) parts.push(`${rule.startsAt ? fmt.date(rule.startsAt) : '…'} – ${rule.endsAt ? fmt.date(rule.endsAt) : '…'}`);
  if (rule.place?.countries) parts.push(rule.place.countries.map(fmt.country).join(', '));
  if (rule.place?.regions) parts.push(rule.place.regions.join(', '));
  if (rule.segment?.abc) parts.push(`${t.lpSegmentAbc}: ${rule.segment.abc.join(', ')}`);
  if (rule.segment?.tiers) parts.push(`${t.lpSegmentTiers}: ${rule.segment.tiers.join(', ')}`);
  if (rule.segment?.acquisition_channels) {
    parts.push(`${t.lpSegmentChannels}: ${rule.segment.acquisition_channels.map((channel) => vocabName(t, 'channel', channel)).join(', ')}`);
  }
  return parts.length > 0 ? parts.join(' · ') : '–';
}

function capsText(t: Texts, rule: StoredRule): string {
  const caps = [
    rule.capDay !== null && fill(t.lpCapDayShort, { n: rule.capDay }),
    rule.capMonth !== null && fill(t.lpCapMonthShort, { n: rule.capMonth }),
    rule.capTotal !== null && fill(t.lpCapTotalShort, { n: rule.capTotal }),
  ].filter(Boolean);
  return caps.length > 0 ? caps.join(', ') : '–';
}

/** A group of checkboxes named `<prefix>_<value>`. */
function Checks(props: { legend: string; prefix: string; options: readonly string[]; name: (value: string) => string; values: FormValues }) {
  return (
    <fieldset class="field wide checks">
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label>
          <input type="checkbox" name={`${props.prefix}_${option}`} value="on" checked={props.values[`${props.prefix}_${option}`] === 'on'} />{' '}
          {props.name(option)}
        </label>
      ))}
    </fieldset>
  );
}

function RuleForm(props: { view: RulesView }) {
  const { view } = props;
  const { t } = view;
  const values = view.failed?.values ?? {};
  const errors = view.failed?.errors ?? {};
  const select = (name: string, label: string, options: ReadonlyArray<{ value: string; label: string }>, empty?: string) => (
    <SelectField name={name} label={label} options={options} values={values} errors={errors} empty={empty} />
  );
  const field = (name: string, label: string, attrs: Record<string, string | number> = {}, required = false) => (
    <TextField name={name} label={label} values={values} errors={errors} attrs={attrs} required={required} />
  );
  return (
    <>
      <FormError error={errors._} />
      <form class="stack" method="post" action="/loyalty/rules" id="rule-form">
        <Csrf token={view.csrf} />
        {field('name', t.lpRuleName, { maxlength: 200 }, true)}
        {select(
          'kind',
          t.lpKind,
          LOYALTY_EVENT_TYPES.map((kind) => ({ value: kind, label: vocabName(t, 'event', kind) })),
        )}
        {field('points', `${t.lpPoints} (${t.lpPointsHelp})`, { inputmode: 'numeric' }, true)}
        {field('event_name', t.lpEventName, { maxlength: 100 })}
        {field('currency', t.lpRuleCurrency, { maxlength: 3, autocapitalize: 'characters', autocomplete: 'off' })}
        {field('min_order', t.lpMinOrder, { inputmode: 'decimal' })}
        {select(
          'campaign_id',
          t.lpCampaign,
          view.campaigns.map((campaign) => ({ value: campaign.id, label: campaign.name })),
          t.lpAnyCampaign,
        )}
        {select(
          'channel',
          t.lpChannel,
          ATTRIBUTED_CHANNELS.map((channel) => ({ value: channel, label: vocabName(t, 'channel', channel) })),
          t.lpAnyChannel,
        )}
        <DateTimeField name="starts_at" label={t.lpStarts} t={t} value={values.starts_at} error={errors.starts_at} />
        <DateTimeField name="ends_at" label={t.lpEnds} t={t} value={values.ends_at} error={errors.ends_at} />
        {field('countries', t.lpCountries, { autocapitalize: 'characters', autocomplete: 'off' })}
        {field('regions', t.lpRegions)}
        <Checks legend={t.lpSegmentAbc} prefix="abc" options={ABC_SEGMENTS} name={(segment) => segment} values={values} />
        {view.program && view.program.tiers.length > 0 && (
          <Checks legend={t.lpSegmentTiers} prefix="tier" options={view.program.tiers.map((tier) => tier.name)} name={(tier) => tier} values={values} />
        )}
        <Checks legend={t.lpSegmentChannels} prefix="acq" options={ATTRIBUTED_CHANNELS} name={(channel) => vocabName(t, 'channel', channel)} values={values} />
        {errors.segment && <p class="error field wide">{errors.segment}</p>}
        {errors.place && <p class="error field wide">{errors.place}</p>}
        {field('cap_day', t.lpCapDay, { inputmode: 'numeric' })}
        {field('cap_month', t.lpCapMonth, { inputmode: 'numeric' })}
        {field('cap_total', t.lpCapTotal, { inputmode: 'numeric' })}
        <Submit label={t.lpAddRule} />
      </form>
    </>
  );
}

export function RulesPage(view: RulesView) {
  const { t, fmt } = view;
  return (
    <Layout lang={view.lang} t={t} title={t.lpRulesTitle} path="/loyalty/rules" csrf={view.csrf} admin={view.admin}>
      <h1>{t.lpRulesTitle}</h1>
      <LoyaltyTabs t={t} path="/loyalty/rules" admin={view.admin} />
      <p class="muted">{t.lpRulesIntro}</p>
      {view.done && (
        <p class="notice ok" role="status" id="done">
          {view.done === 'saved' ? t.lpRuleSaved : t.lpRuleArchived}
        </p>
      )}
      {!view.program && (
        <p class="notice">
          <a href="/loyalty/program">{t.lpNeedsProgram}</a>
        </p>
      )}
      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">{t.lpRulesTitle}</h2>
        <DataTable
          class="cards"
          id="rules"
          rows={view.rules}
          empty={t.lpNoRules}
          columns={[
            { label: t.lpRule },
            { label: t.lpKind },
            { label: t.lpPoints, num: true },
            { label: t.lpConditions },
            { label: t.lpCaps },
            { label: t.lpArchive, muted: true },
          ]}
          row={(rule) => (
            <tr data-rule={rule.id}>
              <KeyCell>{rule.name}</KeyCell>
              <Cell label={t.lpKind} col="kind">
                {vocabName(t, 'event', rule.kind)}
              </Cell>
              <Cell label={t.lpPoints} num col="points">
                {pointsText(t, fmt, rule, view.program)}
              </Cell>
              <Cell label={t.lpConditions} col="conditions">
                {conditionsText(t, fmt, rule, view.campaigns)}
              </Cell>
              <Cell label={t.lpCaps} col="caps">
                {capsText(t, rule)}
              </Cell>
              <td>
                <PostButton action={`/loyalty/rules/${rule.id}/archive`} csrf={view.csrf} label={t.lpArchive} ariaLabel={`${t.lpArchive}: ${rule.name}`} />
              </td>
            </tr>
          )}
        />
      </section>
      <section class="card" aria-labelledby="new-rule-title">
        <h2 id="new-rule-title">{t.lpNewRule}</h2>
        <RuleForm view={view} />
      </section>
    </Layout>
  );
}
