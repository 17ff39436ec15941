/**
 * `/loyalty/program`, `/loyalty/rules`, `/loyalty/rewards` and `/loyalty/challenges`: setting up the bonus program in
 * the browser (admin sessions), over the API's schemas and services. Each list page is one description — what it
 * reads, how it renders, its form's schema and action, how to archive a row — served by the same three handlers.
 */
import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { z } from 'zod';
import { listCampaigns } from '../../db/campaigns';
import { completionCounts } from '../../db/loyalty-challenge-stats';
import { archiveChallenge, listChallenges } from '../../db/loyalty-challenges';
import { listRewards } from '../../db/loyalty-rewards';
import { archiveRule, listRules } from '../../db/loyalty-rules';
import type { Db } from '../../db/client';
import { notFound } from '../../lib/errors';
import { toIso } from '../../lib/time';
import { ChallengeInput } from '../../schemas/loyalty-challenges';
import { ProgramInput } from '../../schemas/loyalty-program';
import { RewardInput } from '../../schemas/loyalty-rewards';
import { RuleInput } from '../../schemas/loyalty-rules';
import { createChallenge } from '../../services/loyalty-challenges';
import { findProgram, setUpProgram } from '../../services/loyalty-program';
import { createReward, withdrawReward } from '../../services/loyalty-rewards';
import { createRule } from '../../services/loyalty-rules';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { CHALLENGE_FIELDS, challengeInput, PROGRAM_FIELDS, programInput, REWARD_FIELDS, RULE_FIELDS, rewardInput, ruleInput } from '../loyalty-inputs';
import { ChallengesPage } from '../pages/loyalty-challenges';
import { ProgramPage } from '../pages/loyalty-program';
import { RewardsPage } from '../pages/loyalty-rewards';
import { RulesPage } from '../pages/loyalty-rules';
import type { PageView } from '../pages/parts';

const admin = requireSession('admin');
/** Campaigns offered in the pickers; rules, rewards and challenges a page lists (active ones, newest first). */
const LIST_LIMIT = 200;

type Failed = { values: FormValues; errors: FieldErrors };
type Done = 'saved' | 'archived';

interface SetupPage<Data, S extends z.ZodType> {
  path: string;
  load: (db: Db) => Promise<Data>;
  render: (base: PageView, data: Data, done: Done | undefined, failed: Failed | undefined) => HtmlEscapedString | Promise<HtmlEscapedString>;
  schema: S;
  fields: readonly string[];
  input: (values: FormValues, data: Data) => Record<string, unknown>;
  save: (db: Db, input: z.infer<S>, now: number) => Promise<unknown>;
  /** Archives row `id` (a `what`); false when there is none. */
  archive?: { what: string; run: (db: Db, id: string, now: number) => Promise<boolean> };
}

const campaignsOf = async (db: Db) => (await listCampaigns(db, { limit: LIST_LIMIT })).items;

function serve<Data, S extends z.ZodType>(router: ReturnType<typeof uiRouter>, page: SetupPage<Data, S>): void {
  const show = async (c: Context<UiEnv>, status: 200 | 400, data: Data, failed?: Failed) => {
    const done = c.req.query('done');
    const base: PageView = { lang: c.var.lang, t: c.var.t, fmt: c.var.fmt, csrf: c.var.csrf, admin: true };
    return c.html(page.render(base, data, status === 200 && (done === 'saved' || done === 'archived') ? done : undefined, failed), status);
  };
  router.get(page.path, admin, async (c) => show(c, 200, await page.load(c.var.db)));
  router.post(page.path, admin, async (c) => {
    const values = formValues(await readForm(c));
    const data = await page.load(c.var.db);
    const outcome = await runForm(page.schema, page.input(values, data), page.fields, (input) => page.save(c.var.db, input, c.var.now()));
    if (!outcome.ok) return show(c, 400, data, { values, errors: outcome.errors });
    return redirectLocal(c, `${page.path}?done=saved`);
  });
  const archive = page.archive;
  if (archive) {
    router.post(`${page.path}/:id/archive`, admin, async (c) => {
      if (!(await archive.run(c.var.db, c.req.param('id'), c.var.now()))) throw notFound(archive.what);
      return redirectLocal(c, `${page.path}?done=archived`);
    });
  }
}

export const loyaltySetupPages = uiRouter();

serve(loyaltySetupPages, {
  path: '/loyalty/program',
  load: async (db) => {
    const [program, campaigns] = await Promise.all([findProgram(db), campaignsOf(db)]);
    return { program, campaigns };
  },
  render: (base, data, done, failed) => <ProgramPage {...base} {...data} saved={done === 'saved'} failed={failed} />,
  schema: ProgramInput,
  fields: PROGRAM_FIELDS,
  input: (values) => programInput(values),
  save: setUpProgram,
});

serve(loyaltySetupPages, {
  path: '/loyalty/rules',
  load: async (db) => {
    const [program, campaigns, rules] = await Promise.all([findProgram(db), campaignsOf(db), listRules(db, { status: 'active', limit: LIST_LIMIT })]);
    return { program, campaigns, rules: rules.items };
  },
  render: (base, data, done, failed) => <RulesPage {...base} {...data} done={done} failed={failed} />,
  schema: RuleInput,
  fields: RULE_FIELDS,
  input: (values, data) => ruleInput(values, data.program?.tiers.map((tier) => tier.name) ?? []),
  save: createRule,
  archive: { what: 'Rule', run: async (db, id, now) => (await archiveRule(db, id, toIso(now))) !== null },
});

serve(loyaltySetupPages, {
  path: '/loyalty/rewards',
  load: async (db) => {
    const [rewards, campaigns] = await Promise.all([listRewards(db, { includeArchived: false, limit: LIST_LIMIT }), campaignsOf(db)]);
    return { rewards: rewards.items, campaigns };
  },
  render: (base, data, done, failed) => <RewardsPage {...base} {...data} done={done} failed={failed} />,
  schema: RewardInput,
  fields: REWARD_FIELDS,
  input: (values) => rewardInput(values),
  save: createReward,
  archive: { what: 'Reward', run: async (db, id, now) => (await withdrawReward(db, id, now)) !== null },
});

serve(loyaltySetupPages, {
  path: '/loyalty/challenges',
  load: async (db) => {
    const [challenges, completions, campaigns] = await Promise.all([
      listChallenges(db, { status: 'active', limit: LIST_LIMIT }),
      completionCounts(db),
      campaignsOf(db),
    ]);
    return { challenges: challenges.items, completions, campaigns };
  },
  render: (base, data, done, failed) => <ChallengesPage {...base} {...data} done={done} failed={failed} />,
  schema: ChallengeInput,
  fields: CHALLENGE_FIELDS,
  input: (values) => challengeInput(values),
  save: createChallenge,
  archive: { what: 'Challenge', run: async (db, id, now) => (await archiveChallenge(db, id, toIso(now))) !== null },
});
