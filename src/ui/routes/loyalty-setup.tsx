/** `/loyalty/program` and `/loyalty/rules`: setting up the bonus program in the browser (admin sessions), over the API's schemas and services. */
import type { Context } from 'hono';
import { listCampaigns } from '../../db/campaigns';
import { archiveRule, listRules } from '../../db/loyalty-rules';
import { ABC_SEGMENTS } from '../../domain/loyalty';
import { ATTRIBUTED_CHANNELS } from '../../domain/vocab';
import { notFound } from '../../lib/errors';
import { toIso } from '../../lib/time';
import { ProgramInput } from '../../schemas/loyalty-program';
import { RuleInput } from '../../schemas/loyalty-rules';
import { findProgram, setUpProgram } from '../../services/loyalty-program';
import { createRule } from '../../services/loyalty-rules';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { withIsoTimes } from '../dates';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { ProgramPage, tierRows } from '../pages/loyalty-program';
import { RulesPage } from '../pages/loyalty-rules';

const admin = requireSession('admin');
/** Campaigns offered in the pickers. */
const CAMPAIGN_LIMIT = 200;
/** Rules the page lists (active ones, newest first). */
const RULE_LIMIT = 200;

/** A typed number ("0,5" too) as a number; anything else as it is, for the schema to refuse. */
const number = (value: string | undefined): number | string | undefined => {
  if (value === undefined || value === '') return undefined;
  const text = value.replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
};
const upper = (value: string | undefined) => (value ? value.toUpperCase() : undefined);
/** "DE, at ;CH" → ['DE', 'AT', 'CH']; undefined when empty. */
const list = (value: string | undefined, transform: (item: string) => string = (item) => item): string[] | undefined => {
  const items = (value ?? '')
    .split(/[,;]/)
    .map((item) => transform(item.trim()))
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
};
const checked = (values: FormValues, prefix: string, options: readonly string[]): string[] | undefined => {
  const picked = options.filter((option) => values[`${prefix}_${option}`] === 'on');
  return picked.length > 0 ? picked : undefined;
};

/** The program form as the API's input. */
export function programInput(values: FormValues): Record<string, unknown> {
  const tiers = Array.from({ length: tierRows(values) }, (_, i) => ({
    name: values[`tier_name_${i}`] ?? '',
    min_points_12m: number(values[`tier_min_${i}`]) ?? '',
    multiplier: number(values[`tier_multiplier_${i}`]) ?? '',
  })).filter((tier) => tier.name !== '' || tier.min_points_12m !== '' || tier.multiplier !== '');
  return {
    name: values.name ?? '',
    points_name: values.points_name ?? '',
    point_value: number(values.point_value) ?? '',
    currency: upper(values.currency) ?? '',
    pending_days: number(values.pending_days) ?? 0,
    expiry_days: number(values.expiry_days) ?? null,
    tiers,
    enrollment: values.enrollment ?? '',
    referral_campaign_id: values.referral_campaign_id || null,
  };
}

/** The new-rule form as the API's input: empty fields are left out. */
export function ruleInput(values: FormValues, tierNames: readonly string[]): Record<string, unknown> {
  const timed = withIsoTimes(values, ['starts_at', 'ends_at']);
  const segment = {
    abc: checked(values, 'abc', ABC_SEGMENTS),
    tiers: checked(values, 'tier', tierNames),
    acquisition_channels: checked(values, 'acq', ATTRIBUTED_CHANNELS),
  };
  const place = { countries: list(values.countries, (item) => item.toUpperCase()), regions: list(values.regions) };
  const input: Record<string, unknown> = {
    name: values.name ?? '',
    kind: values.kind ?? '',
    points: number(values.points) ?? '',
    event_name: values.event_name || undefined,
    currency: upper(values.currency),
    min_order: number(values.min_order),
    campaign_id: values.campaign_id || undefined,
    channel: values.channel || undefined,
    starts_at: timed.starts_at || undefined,
    ends_at: timed.ends_at || undefined,
    segment: Object.values(segment).some(Boolean) ? segment : undefined,
    place: Object.values(place).some(Boolean) ? place : undefined,
    cap_day: number(values.cap_day),
    cap_month: number(values.cap_month),
    cap_total: number(values.cap_total),
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

const PROGRAM_FIELDS = ['name', 'points_name', 'point_value', 'currency', 'pending_days', 'expiry_days', 'tiers', 'enrollment', 'referral_campaign_id'];
const RULE_FIELDS = [
  'name',
  'kind',
  'points',
  'event_name',
  'currency',
  'min_order',
  'campaign_id',
  'channel',
  'starts_at',
  'ends_at',
  'segment',
  'place',
  'cap_day',
  'cap_month',
  'cap_total',
];

async function renderProgram(c: Context<UiEnv>, status: 200 | 400, failed?: { values: FormValues; errors: FieldErrors }) {
  const [program, campaigns] = await Promise.all([findProgram(c.var.db), listCampaigns(c.var.db, { limit: CAMPAIGN_LIMIT })]);
  return c.html(
    <ProgramPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin
      program={program}
      campaigns={campaigns.items}
      saved={status === 200 && c.req.query('done') === 'saved'}
      failed={failed}
    />,
    status,
  );
}

async function renderRules(c: Context<UiEnv>, status: 200 | 400, failed?: { values: FormValues; errors: FieldErrors }) {
  const [program, campaigns, rules] = await Promise.all([
    findProgram(c.var.db),
    listCampaigns(c.var.db, { limit: CAMPAIGN_LIMIT }),
    listRules(c.var.db, { status: 'active', limit: RULE_LIMIT }),
  ]);
  const done = c.req.query('done');
  return c.html(
    <RulesPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin
      program={program}
      rules={rules.items}
      campaigns={campaigns.items}
      done={status === 200 && (done === 'saved' || done === 'archived') ? done : undefined}
      failed={failed}
    />,
    status,
  );
}

export const loyaltySetupPages = uiRouter();

loyaltySetupPages.get('/loyalty/program', admin, (c) => renderProgram(c, 200));

loyaltySetupPages.post('/loyalty/program', admin, async (c) => {
  const values = formValues(await readForm(c));
  const outcome = await runForm(ProgramInput, programInput(values), PROGRAM_FIELDS, (input) => setUpProgram(c.var.db, input, c.var.now()));
  if (!outcome.ok) return renderProgram(c, 400, { values, errors: outcome.errors });
  return redirectLocal(c, '/loyalty/program?done=saved');
});

loyaltySetupPages.get('/loyalty/rules', admin, (c) => renderRules(c, 200));

loyaltySetupPages.post('/loyalty/rules', admin, async (c) => {
  const values = formValues(await readForm(c));
  const program = await findProgram(c.var.db);
  const input = ruleInput(values, program?.tiers.map((tier) => tier.name) ?? []);
  const outcome = await runForm(RuleInput, input, RULE_FIELDS, (parsed) => createRule(c.var.db, parsed, c.var.now()));
  if (!outcome.ok) return renderRules(c, 400, { values, errors: outcome.errors });
  return redirectLocal(c, '/loyalty/rules?done=saved');
});

loyaltySetupPages.post('/loyalty/rules/:id/archive', admin, async (c) => {
  if (!(await archiveRule(c.var.db, c.req.param('id'), toIso(c.var.now())))) throw notFound('Rule');
  return redirectLocal(c, '/loyalty/rules?done=archived');
});
