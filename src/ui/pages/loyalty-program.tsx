/** `/loyalty/program`: the bonus program's settings and tiers (admin). */
import type { Program } from '../../domain/loyalty-program';
import { ENROLLMENT_MODES } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Field, Layout } from '../layout';
import { LoyaltyTabs } from './loyalty-tabs';
import { FormError, type PageView, Submit } from './parts';

/** Tier rows the form shows: the program's tiers and this many empty ones to add more. */
export const SPARE_TIER_ROWS = 2;

export interface ProgramView extends PageView {
  program: Program | null;
  campaigns: ReadonlyArray<{ id: string; name: string }>;
  saved: boolean;
  failed?: { values: FormValues; errors: FieldErrors };
}

/** A program's settings as the form's fields. */
export function programValues(program: Program | null): FormValues {
  if (!program) return { pending_days: '0', enrollment: 'automatic', tier_name_0: '', point_value: '0.01', currency: 'EUR' };
  const values: FormValues = {
    name: program.name,
    points_name: program.pointsName,
    point_value: String(program.pointValue),
    currency: program.currency,
    pending_days: String(program.pendingDays),
    expiry_days: program.expiryDays === null ? '' : String(program.expiryDays),
    enrollment: program.enrollment,
    referral_campaign_id: program.referralCampaignId ?? '',
  };
  program.tiers.forEach((tier, i) => {
    values[`tier_name_${i}`] = tier.name;
    values[`tier_min_${i}`] = String(tier.minPoints12m);
    values[`tier_multiplier_${i}`] = String(tier.multiplier);
  });
  return values;
}

/** How many tier rows `values` fill (the highest filled index + 1). */
export function tierRows(values: FormValues): number {
  let rows = 0;
  for (const name of Object.keys(values)) {
    const match = /^tier_(?:name|min|multiplier)_(\d+)$/.exec(name);
    if (match && values[name] !== '') rows = Math.max(rows, Number(match[1]) + 1);
  }
  return rows;
}

export function ProgramPage(view: ProgramView) {
  const { t } = view;
  const values = view.failed?.values ?? programValues(view.program);
  const errors = view.failed?.errors ?? {};
  const rows = tierRows(values) + SPARE_TIER_ROWS;
  const field = (name: string, label: string, attrs: Record<string, string | number> = {}, required = false) => (
    <Field name={name} label={label} value={values[name]} error={errors[name]} required={required} attrs={attrs} />
  );
  return (
    <Layout lang={view.lang} t={t} title={t.lpProgramTitle} path="/loyalty/program" csrf={view.csrf} admin={view.admin}>
      <h1>{t.lpProgramTitle}</h1>
      <LoyaltyTabs t={t} path="/loyalty/program" admin={view.admin} />
      <p class="muted">{t.lpProgramIntro}</p>
      {view.saved && (
        <p class="notice ok" role="status" id="done">
          {t.lpProgramSaved}
        </p>
      )}
      {!view.program && !view.failed && <p class="notice">{t.lpSetupNoProgram}</p>}
      <section class="card" aria-labelledby="program-title">
        <h2 id="program-title">{view.program?.name ?? t.lpProgramTitle}</h2>
        <FormError error={errors._} />
        <form class="stack" method="post" action="/loyalty/program" id="program-form">
          <Csrf token={view.csrf} />
          {field('name', t.lpName, { maxlength: 200 }, true)}
          {field('points_name', t.lpPointsName, { maxlength: 50 }, true)}
          {field('point_value', t.lpPointValue, { inputmode: 'decimal', autocomplete: 'off' }, true)}
          {field('currency', t.lpCurrency, { maxlength: 3, autocapitalize: 'characters', autocomplete: 'off' }, true)}
          {field('pending_days', t.lpPendingDays, { inputmode: 'numeric' }, true)}
          {field('expiry_days', t.lpExpiryDays, { inputmode: 'numeric' })}
          <div class="field">
            <label for="f-enrollment">{t.lpEnrollment}</label>
            <select id="f-enrollment" name="enrollment">
              {ENROLLMENT_MODES.map((mode) => (
                <option value={mode} selected={values.enrollment === mode}>
                  {mode === 'automatic' ? t.lpEnrollAutomatic : t.lpEnrollSignup}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-referral_campaign_id">{t.lpReferralCampaign}</label>
            <select id="f-referral_campaign_id" name="referral_campaign_id" aria-invalid={errors.referral_campaign_id ? 'true' : undefined}>
              <option value="">{t.lpNoCampaign}</option>
              {view.campaigns.map((campaign) => (
                <option value={campaign.id} selected={values.referral_campaign_id === campaign.id}>
                  {campaign.name}
                </option>
              ))}
            </select>
            {errors.referral_campaign_id && <span class="error">{errors.referral_campaign_id}</span>}
          </div>
          <fieldset class="field wide" id="tiers" aria-describedby="tiers-help">
            <legend>{t.lpTiers}</legend>
            <p class="muted" id="tiers-help">
              {t.lpTiersHelp}
            </p>
            {errors.tiers && <span class="error">{errors.tiers}</span>}
            <div class="table-wrap">
              <table class="tiers">
                <thead>
                  <tr>
                    <th scope="col">{t.lpTierName}</th>
                    <th scope="col">{t.lpTierMin}</th>
                    <th scope="col">{t.lpTierMultiplier}</th>
                  </tr>
                </thead>
                <tbody>
                  {Array.from({ length: rows }, (_, i) => (
                    <tr>
                      <td>
                        <input name={`tier_name_${i}`} value={values[`tier_name_${i}`] ?? ''} aria-label={`${t.lpTierName} ${i + 1}`} maxlength={50} />
                      </td>
                      <td>
                        <input name={`tier_min_${i}`} value={values[`tier_min_${i}`] ?? ''} aria-label={`${t.lpTierMin} ${i + 1}`} inputmode="numeric" />
                      </td>
                      <td>
                        <input
                          name={`tier_multiplier_${i}`}
                          value={values[`tier_multiplier_${i}`] ?? ''}
                          aria-label={`${t.lpTierMultiplier} ${i + 1}`}
                          inputmode="decimal"
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </fieldset>
          <Submit label={t.lpSave} />
        </form>
      </section>
    </Layout>
  );
}
