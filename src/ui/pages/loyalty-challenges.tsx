/** `/loyalty/challenges`: game elements — the active challenges with how many members met them, and a form for a new one (admin). */
import type { Challenge } from '../../db/loyalty-challenges';
import { LOYALTY_EVENT_TYPES } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Layout } from '../layout';
import { fill, vocabName } from '../texts';
import { DateTimeField } from './campaign-forms';
import { SelectField, TextField } from './loyalty-forms';
import { LoyaltyTabs } from './loyalty-tabs';
import { Cell, DataTable, FormError, KeyCell, type PageView, PostButton, Submit } from './parts';

export interface ChallengesView extends PageView {
  challenges: Challenge[];
  completions: Map<string, number>;
  campaigns: ReadonlyArray<{ id: string; name: string }>;
  done?: 'saved' | 'archived';
  failed?: { values: FormValues; errors: FieldErrors };
}

export function ChallengesPage(view: ChallengesView) {
  const { t, fmt } = view;
  const values = view.failed?.values ?? {};
  const errors = view.failed?.errors ?? {};
  const eventName = (challenge: Challenge) => (challenge.eventName ? `„${challenge.eventName}“` : vocabName(t, 'event', challenge.eventType));
  return (
    <Layout lang={view.lang} t={t} title={t.lcTitle} path="/loyalty/challenges" csrf={view.csrf} admin={view.admin}>
      <h1>{t.lcTitle}</h1>
      <LoyaltyTabs t={t} path="/loyalty/challenges" admin={view.admin} />
      <p class="muted">{t.lcIntro}</p>
      {view.done && (
        <p class="notice ok" role="status" id="done">
          {view.done === 'saved' ? t.lcSaved : t.lcArchived}
        </p>
      )}
      <section class="card" aria-labelledby="challenges-title">
        <h2 id="challenges-title">{t.lcTitle}</h2>
        <DataTable
          class="cards"
          id="challenges"
          rows={view.challenges}
          empty={t.lcNone}
          columns={[
            { label: t.lcChallenge },
            { label: t.lcGoal },
            { label: t.lcBonus, num: true },
            { label: t.lcPeriod },
            { label: t.lcCompleted, num: true },
            { label: t.lpArchive, muted: true },
          ]}
          row={(challenge) => (
            <tr data-challenge={challenge.id}>
              <KeyCell>{challenge.name}</KeyCell>
              <Cell label={t.lcGoal} col="goal">
                {fill(t.lcGoalText, { n: challenge.goal, event: eventName(challenge) })}
              </Cell>
              <Cell label={t.lcBonus} num col="bonus">
                {fmt.num(challenge.bonus)}
              </Cell>
              <Cell label={t.lcPeriod} col="period">
                {fmt.date(challenge.startsAt)} – {fmt.date(challenge.endsAt)}
              </Cell>
              <Cell label={t.lcCompleted} num col="completed">
                {fmt.num(view.completions.get(challenge.id) ?? 0)}
              </Cell>
              <td>
                <PostButton
                  action={`/loyalty/challenges/${challenge.id}/archive`}
                  csrf={view.csrf}
                  label={t.lpArchive}
                  ariaLabel={`${t.lpArchive}: ${challenge.name}`}
                />
              </td>
            </tr>
          )}
        />
      </section>
      <section class="card" aria-labelledby="new-challenge-title">
        <h2 id="new-challenge-title">{t.lcNew}</h2>
        <FormError error={errors._} />
        <form class="stack" method="post" action="/loyalty/challenges" id="challenge-form">
          <Csrf token={view.csrf} />
          <TextField name="name" label={t.lpRuleName} values={values} errors={errors} attrs={{ maxlength: 200 }} required />
          <TextField name="description" label={t.lcDescription} values={values} errors={errors} attrs={{ maxlength: 2000 }} />
          <SelectField
            name="event_type"
            label={t.lcEventType}
            options={LOYALTY_EVENT_TYPES.map((kind) => ({ value: kind, label: vocabName(t, 'event', kind) }))}
            values={values}
            errors={errors}
          />
          <TextField name="event_name" label={t.lpEventName} values={values} errors={errors} attrs={{ maxlength: 100 }} />
          <SelectField
            name="campaign_id"
            label={t.lpCampaign}
            options={view.campaigns.map((campaign) => ({ value: campaign.id, label: campaign.name }))}
            values={values}
            errors={errors}
            empty={t.lpAnyCampaign}
          />
          <TextField name="goal" label={t.lcGoalCount} values={values} errors={errors} attrs={{ inputmode: 'numeric' }} required />
          <TextField name="bonus" label={t.lcBonus} values={values} errors={errors} attrs={{ inputmode: 'numeric' }} required />
          <DateTimeField name="starts_at" label={t.lpStarts} t={t} value={values.starts_at} error={errors.starts_at} />
          <DateTimeField name="ends_at" label={t.lpEnds} t={t} value={values.ends_at} error={errors.ends_at} />
          <Submit label={t.lcAdd} />
        </form>
      </section>
    </Layout>
  );
}
