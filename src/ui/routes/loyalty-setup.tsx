/** `/loyalty/program`, `/loyalty/rules` and `/loyalty/challenges`: setting up the bonus program in the browser (admin sessions), over the API's schemas and services. */
import type { Context } from 'hono';
import { listCampaigns } from '../../db/campaigns';
import { completionCounts } from '../../db/loyalty-challenge-stats';
import { archiveChallenge, listChallenges } from '../../db/loyalty-challenges';
import { archiveRule, listRules } from '../../db/loyalty-rules';
import { notFound } from '../../lib/errors';
import { toIso } from '../../lib/time';
import { ChallengeInput } from '../../schemas/loyalty-challenges';
import { ProgramInput } from '../../schemas/loyalty-program';
import { RuleInput } from '../../schemas/loyalty-rules';
import { createChallenge } from '../../services/loyalty-challenges';
import { findProgram, setUpProgram } from '../../services/loyalty-program';
import { createRule } from '../../services/loyalty-rules';
import { readForm, redirectLocal, requireSession, uiRouter, type UiEnv } from '../context';
import { formValues, runForm, type FieldErrors, type FormValues } from '../forms';
import { CHALLENGE_FIELDS, challengeInput, PROGRAM_FIELDS, programInput, RULE_FIELDS, ruleInput } from '../loyalty-inputs';
import { ChallengesPage } from '../pages/loyalty-challenges';
import { ProgramPage } from '../pages/loyalty-program';
import { RulesPage } from '../pages/loyalty-rules';

const admin = requireSession('admin');
/** Campaigns offered in the pickers. */
const CAMPAIGN_LIMIT = 200;
/** Rules and challenges a page lists (active ones, newest first). */
const LIST_LIMIT = 200;

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
    listRules(c.var.db, { status: 'active', limit: LIST_LIMIT }),
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

async function renderChallenges(c: Context<UiEnv>, status: 200 | 400, failed?: { values: FormValues; errors: FieldErrors }) {
  const [challenges, completions, campaigns] = await Promise.all([
    listChallenges(c.var.db, { status: 'active', limit: LIST_LIMIT }),
    completionCounts(c.var.db),
    listCampaigns(c.var.db, { limit: CAMPAIGN_LIMIT }),
  ]);
  const done = c.req.query('done');
  return c.html(
    <ChallengesPage
      lang={c.var.lang}
      t={c.var.t}
      fmt={c.var.fmt}
      csrf={c.var.csrf}
      admin
      challenges={challenges.items}
      completions={completions}
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

loyaltySetupPages.get('/loyalty/challenges', admin, (c) => renderChallenges(c, 200));

loyaltySetupPages.post('/loyalty/challenges', admin, async (c) => {
  const values = formValues(await readForm(c));
  const outcome = await runForm(ChallengeInput, challengeInput(values), CHALLENGE_FIELDS, (parsed) => createChallenge(c.var.db, parsed, c.var.now()));
  if (!outcome.ok) return renderChallenges(c, 400, { values, errors: outcome.errors });
  return redirectLocal(c, '/loyalty/challenges?done=saved');
});

loyaltySetupPages.post('/loyalty/challenges/:id/archive', admin, async (c) => {
  if (!(await archiveChallenge(c.var.db, c.req.param('id'), toIso(c.var.now())))) throw notFound('Challenge');
  return redirectLocal(c, '/loyalty/challenges?done=archived');
});
