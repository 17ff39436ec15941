/** A member's wallet: phone first, no scripts, German or English. Takes plain data (see WalletView). */
import { qrMatrix, renderSvg } from '../domain/qr';
import type { LedgerKind, LedgerSource } from '../domain/vocab';
import type { Language } from './redeem-texts';
import type { WalletRefusal } from '../domain/wallet';
import { WALLET_TEXTS } from './wallet-texts';

export interface WalletView {
  language: Language;
  /** The page's own path (`/w/<token>`): forms post under it, the language switch links to it. */
  path: string;
  programName: string;
  pointsName: string;
  memberId: string;
  balance: number;
  pending: number;
  debt: number;
  /** The balance in money, formatted, or null when a point is worth nothing. */
  money: string | null;
  tier: { name: string | null; next: string | null; missing: number; share: number } | null;
  rewards: Array<{ id: string; name: string; description: string | null; cost: number; missing: number; limitReached: boolean; left: number | null }>;
  referralUrl: string | null;
  challenges: Array<{ name: string; description: string | null; goal: number; progress: number; bonus: number; completed: boolean; endsAt: string }>;
  history: Array<{ kind: LedgerKind; source: LedgerSource; change: number; occurredAt: string }>;
  notice: { kind: 'redeemed'; rewardName: string; promoCode: string | null } | { kind: 'refused'; reason: WalletRefusal } | null;
}

const STYLE = `
body { font: 17px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2430; }
main { max-width: 30rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
h1 { font-size: 1.35rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
section { background: #fff; border-radius: .75rem; padding: 1rem; margin: 1rem 0; box-shadow: 0 1px 2px #0001; }
.balance { font-size: 2.4rem; font-weight: 700; line-height: 1.1; margin: .25rem 0; }
.muted { color: #5b6577; font-size: .95rem; margin: .25rem 0 0; }
.bar { height: .6rem; background: #e3e7ee; border-radius: .3rem; overflow: hidden; margin: .5rem 0 .25rem; }
.bar span { display: block; height: 100%; background: #2f6fed; }
ul { list-style: none; margin: 0; padding: 0; }
li { padding: .6rem 0; border-top: 1px solid #eef0f4; }
li:first-child { border-top: 0; }
.row { display: flex; justify-content: space-between; gap: .75rem; align-items: center; }
button { width: 100%; margin-top: .5rem; padding: .75rem; font: 600 1rem system-ui, sans-serif; color: #fff; background: #2f6fed; border: 0; border-radius: .5rem; }
.notice { padding: .75rem 1rem; border-radius: .5rem; background: #fdecec; color: #8a1c1c; }
.ok { background: #e7f6ec; color: #155d2b; }
.code { font: 700 1.4rem/1.3 ui-monospace, monospace; letter-spacing: .06em; word-break: break-all; user-select: all; }
.link { word-break: break-all; font-weight: 600; }
.plus { color: #155d2b; font-weight: 600; }
.minus { color: #8a1c1c; font-weight: 600; }
.card { text-align: center; }
.card svg { width: 12rem; height: 12rem; }
`;

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

function Head(props: { language: Language; title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex, nofollow" />
      <title>{props.title}</title>
      <style>{STYLE}</style>
    </head>
  );
}

/** The page of a link that no longer opens a wallet (revoked, malformed, or the program is closed). */
export function walletMessagePage(language: Language, kind: 'invalid' | 'closed') {
  const texts = WALLET_TEXTS[language];
  const [title, text] = kind === 'invalid' ? [texts.invalidTitle, texts.invalidText] : [texts.closedTitle, texts.closedText];
  return (
    <html lang={language}>
      <Head language={language} title={title} />
      <body>
        <main>
          <h1>{title}</h1>
          <p>{text}</p>
        </main>
      </body>
    </html>
  );
}

function Notice(props: { view: WalletView }) {
  const texts = WALLET_TEXTS[props.view.language];
  const notice = props.view.notice;
  if (!notice) return null;
  if (notice.kind === 'refused') {
    return (
      <p class="notice" role="alert">
        {texts.refusals[notice.reason]}
      </p>
    );
  }
  return (
    <section class="notice ok" role="status">
      <h2>{fill(texts.redeemedTitle, { reward: notice.rewardName })}</h2>
      {notice.promoCode ? (
        <>
          <p>{texts.redeemedCode}</p>
          <p class="code">{notice.promoCode}</p>
        </>
      ) : (
        <p>{texts.redeemedPerk}</p>
      )}
    </section>
  );
}

/** The wallet page. */
export function walletPage(view: WalletView) {
  const texts = WALLET_TEXTS[view.language];
  const number = new Intl.NumberFormat(view.language);
  const points = (n: number) => `${number.format(n)} ${view.pointsName}`;
  const date = new Intl.DateTimeFormat(view.language, { dateStyle: 'medium', timeZone: 'UTC' });
  const other: Language = view.language === 'de' ? 'en' : 'de';
  // A challenge's end is exclusive (the first moment it is over): the page names its last day.
  const lastDay = (endsAt: string) => date.format(new Date(Date.parse(endsAt) - 1));
  const card = renderSvg(qrMatrix(view.memberId, 'M'), { size: 192, margin: 2, fg: '#000000', bg: '#ffffff' }, view.memberId);
  return (
    <html lang={view.language}>
      <Head language={view.language} title={view.programName} />
      <body>
        <main>
          <header>
            <h1>{view.programName}</h1>
            <a href={`${view.path}?lang=${other}`} hreflang={other} lang={other}>
              {texts.language}
            </a>
          </header>
          <Notice view={view} />
          <section aria-labelledby="balance">
            <h2 id="balance">{texts.balance}</h2>
            <p class="balance">{points(view.balance)}</p>
            {view.money ? <p class="muted">{fill(texts.worth, { money: view.money })}</p> : null}
            {view.pending > 0 ? <p class="muted">{fill(texts.pending, { n: points(view.pending) })}</p> : null}
            {view.debt > 0 ? <p class="muted">{fill(texts.debt, { n: points(view.debt) })}</p> : null}
          </section>
          {view.tier ? (
            <section aria-labelledby="tier">
              <h2 id="tier">
                {texts.tier}: {view.tier.name ?? '–'}
              </h2>
              <div
                class="bar"
                role="progressbar"
                aria-labelledby="tier"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(view.tier.share * 100)}
              >
                <span style={`width: ${Math.round(view.tier.share * 100)}%`} />
              </div>
              <p class="muted">{view.tier.next ? fill(texts.toNext, { n: points(view.tier.missing), tier: view.tier.next }) : texts.topTier}</p>
            </section>
          ) : null}
          <section aria-labelledby="rewards">
            <h2 id="rewards">{texts.rewards}</h2>
            {view.rewards.length === 0 ? <p class="muted">{texts.noRewards}</p> : null}
            <ul>
              {view.rewards.map((reward) => (
                <li>
                  <strong>{reward.name}</strong>
                  {reward.description ? <p class="muted">{reward.description}</p> : null}
                  {reward.left !== null ? <p class="muted">{fill(texts.left, { n: number.format(reward.left) })}</p> : null}
                  {reward.limitReached ? (
                    <p class="muted">{texts.limitReached}</p>
                  ) : reward.missing > 0 ? (
                    <p class="muted">{fill(texts.missing, { n: points(reward.missing) })}</p>
                  ) : (
                    <form method="post" action={`${view.path}/rewards/${reward.id}/redeem?lang=${view.language}`}>
                      <button type="submit">{fill(texts.redeem, { n: points(reward.cost) })}</button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          </section>
          {view.referralUrl ? (
            <section aria-labelledby="friend">
              <h2 id="friend">{texts.friend}</h2>
              <p>{texts.friendText}</p>
              <p class="link">
                <a href={view.referralUrl}>{view.referralUrl}</a>
              </p>
            </section>
          ) : null}
          {view.challenges.length > 0 ? (
            <section aria-labelledby="challenges">
              <h2 id="challenges">{texts.challenges}</h2>
              <ul>
                {view.challenges.map((challenge) => (
                  <li>
                    <div class="row">
                      <strong>{challenge.name}</strong>
                      <span>{challenge.completed ? texts.done : fill(texts.bonus, { n: points(challenge.bonus) })}</span>
                    </div>
                    {challenge.description ? <p class="muted">{challenge.description}</p> : null}
                    <div class="bar">
                      <span style={`width: ${Math.round(((challenge.completed ? challenge.goal : challenge.progress) / challenge.goal) * 100)}%`} />
                    </div>
                    <p class="muted">
                      {fill(texts.progress, {
                        n: number.format(challenge.completed ? challenge.goal : challenge.progress),
                        goal: number.format(challenge.goal),
                      })}{' '}
                      · {fill(texts.until, { date: lastDay(challenge.endsAt) })}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section class="card" aria-labelledby="card">
            <h2 id="card">{texts.card}</h2>
            <div dangerouslySetInnerHTML={{ __html: card }} />
            <p class="muted">{texts.cardHint}</p>
          </section>
          <section aria-labelledby="history">
            <h2 id="history">{texts.history}</h2>
            {view.history.length === 0 ? <p class="muted">{texts.noHistory}</p> : null}
            <ul>
              {view.history.map((row) => (
                <li class="row">
                  <span>
                    {texts.kinds[row.kind]} · {texts.sources[row.source]}
                    <br />
                    <span class="muted">{date.format(new Date(row.occurredAt))}</span>
                  </span>
                  <span class={row.change < 0 ? 'minus' : 'plus'}>{`${row.change > 0 ? '+' : ''}${number.format(row.change)}`}</span>
                </li>
              ))}
            </ul>
          </section>
        </main>
      </body>
    </html>
  );
}
