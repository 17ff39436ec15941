/** Campaign page section: create a customer's tell-a-friend link, and the last 30 days of referrers. */
import type { AttributionModel } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import type { Formatters, Texts } from '../i18n';
import { Csrf, Field } from '../layout';
import type { ReferralsView } from './campaign-view';
import { Card, FormError, Submit } from './parts';
import { referralColumns, ReportTable } from './table';

export function ReferralsSection(props: {
  t: Texts;
  fmt: Formatters;
  csrf: string;
  campaignId: string;
  canWrite: boolean;
  archived: boolean;
  model: AttributionModel;
  referrals: ReferralsView | null;
  values: FormValues;
  errors: FieldErrors;
}) {
  const { t, fmt, values, errors } = props;
  const created = props.referrals?.created ?? null;
  const report = props.referrals?.report ?? null;
  return (
    <>
      <Card id="new-referral" title={t.cpCreateReferral}>
        {created && (
          <div class="notice ok" role="status">
            <p>{t.cpReferralCreated}</p>
            <output class="preview" id="referral-url" data-referral={created.code}>
              {created.url}
            </output>
          </div>
        )}
        {props.canWrite ? (
          <>
            <p class="muted">{t.cpReferralIntro}</p>
            <form class="stack" method="post" action={`/campaigns/${props.campaignId}/referrals`}>
              <Csrf token={props.csrf} />
              <FormError error={errors._} wide />
              <Field name="customer_ref" id="r-customer_ref" label={t.cpCustomerRef} value={values.customer_ref} error={errors.customer_ref} required />
              <Field name="destination" id="r-destination" label={t.cpReferralDestination} value={values.destination} error={errors.destination} type="url" />
              <Submit label={t.cpCreateReferral} />
            </form>
          </>
        ) : (
          <p class="muted">{props.archived ? t.cpReferralArchived : t.readOnly}</p>
        )}
      </Card>
      {report && (
        <ReportTable
          id="referrals"
          title={`${t.referrals} · ${t.last30} · ${t.kFactor} ${fmt.num(report.kFactor)}`}
          t={t}
          fmt={fmt}
          columns={referralColumns(t)}
          rows={report.rows}
          csv={report.csv}
          empty={t.cpNoReferralsYet}
        />
      )}
    </>
  );
}
