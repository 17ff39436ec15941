/** `/loyalty/rewards`: what members get for points — the rewards on offer with stock and redemptions, and a form for a new one (admin). */
import type { Reward } from '../../db/loyalty-rewards';
import { REWARD_KINDS } from '../../domain/vocab';
import type { FieldErrors, FormValues } from '../forms';
import { Csrf, Layout } from '../layout';
import { fill } from '../texts';
import { SelectField, TextField } from './loyalty-forms';
import { LoyaltyTabs } from './loyalty-tabs';
import { Cell, DataTable, FormError, KeyCell, type PageView, PostButton, Submit } from './parts';

export interface RewardsView extends PageView {
  rewards: Reward[];
  campaigns: ReadonlyArray<{ id: string; name: string }>;
  done?: 'saved' | 'archived';
  failed?: { values: FormValues; errors: FieldErrors };
}

export function RewardsPage(view: RewardsView) {
  const { t, fmt } = view;
  const values = view.failed?.values ?? {};
  const errors = view.failed?.errors ?? {};
  const kindName = (kind: Reward['kind']) => (kind === 'discount' ? t.lrKindDiscount : t.lrKindPerk);
  const field = (name: string, label: string, attrs: Record<string, string | number> = {}, required = false) => (
    <TextField name={name} label={label} values={values} errors={errors} attrs={attrs} required={required} />
  );
  return (
    <Layout lang={view.lang} t={t} title={t.lrTitle} path="/loyalty/rewards" csrf={view.csrf} admin={view.admin}>
      <h1>{t.lrTitle}</h1>
      <LoyaltyTabs t={t} path="/loyalty/rewards" admin={view.admin} />
      <p class="muted">{t.lrIntro}</p>
      {view.done && (
        <p class="notice ok" role="status" id="done">
          {view.done === 'saved' ? t.lrSaved : t.lrArchived}
        </p>
      )}
      <section class="card" aria-labelledby="rewards-title">
        <h2 id="rewards-title">{t.lrTitle}</h2>
        <DataTable
          class="cards"
          id="rewards"
          rows={view.rewards}
          empty={t.lrNone}
          columns={[
            { label: t.lrReward },
            { label: t.lrKind },
            { label: t.lrCost, num: true },
            { label: t.lrStock, num: true },
            { label: t.lrRedeemed, num: true },
            { label: t.lrPerMember, num: true },
            { label: t.lrWithdraw, muted: true },
          ]}
          row={(reward) => (
            <tr data-reward={reward.id}>
              <KeyCell>{reward.name}</KeyCell>
              <Cell label={t.lrKind} col="kind">
                {reward.kind === 'discount' && reward.discount ? `${kindName(reward.kind)}: ${reward.discount}` : kindName(reward.kind)}
              </Cell>
              <Cell label={t.lrCost} num col="cost">
                {fmt.num(reward.cost)}
              </Cell>
              <Cell label={t.lrStock} num col="stock">
                {reward.stock === null ? t.lrUnlimited : fill(t.lrLeft, { left: fmt.num(reward.stock - reward.redeemed), stock: fmt.num(reward.stock) })}
              </Cell>
              <Cell label={t.lrRedeemed} num col="redeemed">
                {fmt.num(reward.redeemed)}
              </Cell>
              <Cell label={t.lrPerMember} num col="per-member">
                {reward.perMemberLimit === null ? '–' : fmt.num(reward.perMemberLimit)}
              </Cell>
              <td>
                <PostButton
                  action={`/loyalty/rewards/${reward.id}/archive`}
                  csrf={view.csrf}
                  label={t.lrWithdraw}
                  ariaLabel={`${t.lrWithdraw}: ${reward.name}`}
                />
              </td>
            </tr>
          )}
        />
      </section>
      <section class="card" aria-labelledby="new-reward-title">
        <h2 id="new-reward-title">{t.lrNew}</h2>
        <FormError error={errors._} />
        <form class="stack" method="post" action="/loyalty/rewards" id="reward-form">
          <Csrf token={view.csrf} />
          {field('name', t.lpRuleName, { maxlength: 200 }, true)}
          {field('description', t.lcDescription, { maxlength: 2000 })}
          <SelectField
            name="kind"
            label={t.lrKind}
            options={REWARD_KINDS.map((kind) => ({ value: kind, label: kindName(kind) }))}
            values={values}
            errors={errors}
          />
          {field('cost', t.lrCost, { inputmode: 'numeric' }, true)}
          {field('stock', t.lrStockField, { inputmode: 'numeric' })}
          {field('per_member_limit', t.lrPerMemberField, { inputmode: 'numeric' })}
          <SelectField
            name="campaign_id"
            label={t.lrCampaign}
            options={view.campaigns.map((campaign) => ({ value: campaign.id, label: campaign.name }))}
            values={values}
            errors={errors}
            empty={t.lpNoCampaign}
          />
          {field('discount', t.lrDiscount, { maxlength: 200 })}
          {field('min_order_value', t.lrMinOrder, { inputmode: 'decimal' })}
          {field('valid_days', t.lrValidDays, { inputmode: 'numeric' })}
          <Submit label={t.lrAdd} />
        </form>
      </section>
    </Layout>
  );
}
