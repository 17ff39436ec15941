/** The wallet page's words in German and English. `{…}` are filled in by the page. */
import type { LedgerKind, LedgerSource } from '../domain/vocab';
import type { WalletRefusal } from '../domain/wallet';
import type { Language } from './redeem-texts';

export interface WalletTexts {
  balance: string;
  worth: string;
  pending: string;
  debt: string;
  tier: string;
  toNext: string;
  topTier: string;
  card: string;
  cardHint: string;
  rewards: string;
  noRewards: string;
  redeem: string;
  missing: string;
  limitReached: string;
  left: string;
  redeemedTitle: string;
  redeemedCode: string;
  redeemedPerk: string;
  refusals: Record<WalletRefusal, string>;
  friend: string;
  friendText: string;
  challenges: string;
  progress: string;
  bonus: string;
  done: string;
  until: string;
  history: string;
  noHistory: string;
  kinds: Record<LedgerKind, string>;
  sources: Record<LedgerSource, string>;
  language: string;
  invalidTitle: string;
  invalidText: string;
  closedTitle: string;
  closedText: string;
}

export const WALLET_TEXTS: Record<Language, WalletTexts> = {
  en: {
    balance: 'Your balance',
    worth: 'worth {money}',
    pending: '{n} pending: available once the return window has passed',
    debt: '{n} owed after a refund: your next points pay it first',
    tier: 'Your tier',
    toNext: '{n} more in 12 months to reach {tier}',
    topTier: 'You have reached the top tier.',
    card: 'Member card',
    cardHint: 'Show this code at the till.',
    rewards: 'Rewards',
    noRewards: 'No rewards on offer right now.',
    redeem: 'Redeem for {n}',
    missing: '{n} more needed',
    limitReached: 'Redeemed as often as allowed',
    left: '{n} left',
    redeemedTitle: 'Redeemed: {reward}',
    redeemedCode: 'Your code — use it at checkout:',
    redeemedPerk: 'We will be in touch about your reward.',
    refusals: {
      insufficient_points: 'You do not have enough points for this reward.',
      out_of_stock: 'Sorry, this reward has just run out.',
      member_limit_reached: 'You have redeemed this reward as often as it allows.',
      gone: 'Sorry, this reward is no longer on offer.',
    },
    friend: 'Tell a friend',
    friendText: 'Share your personal link: when a friend orders through it, you earn points.',
    challenges: 'Challenges',
    progress: '{n} of {goal}',
    bonus: '+{n} bonus',
    done: 'Done',
    until: 'until {date}',
    history: 'History',
    noHistory: 'Nothing here yet.',
    kinds: {
      earn: 'Earned',
      pending: 'Pending',
      release: 'Now available',
      spend: 'Redeemed',
      expire: 'Expired',
      reverse: 'Taken back',
      adjust: 'Correction',
    },
    sources: {
      purchase: 'purchase',
      code_entry: 'pack code',
      review: 'review',
      survey: 'survey',
      referral: 'friend referred',
      referral_welcome: 'welcome bonus',
      signup: 'sign-up',
      custom: 'bonus',
      challenge: 'challenge',
      reward: 'reward',
      refund: 'refund',
      expiry: 'expiry',
      manual: 'correction',
    },
    language: 'Deutsch',
    invalidTitle: 'This link is no longer valid',
    invalidText: 'A newer link to your wallet has been sent, or this one was withdrawn. Please ask the shop for a new link.',
    closedTitle: 'The bonus program is not available',
    closedText: 'Please try again later.',
  },
  de: {
    balance: 'Ihr Guthaben',
    worth: 'im Wert von {money}',
    pending: '{n} vorgemerkt: verfügbar, sobald die Rückgabefrist vorbei ist',
    debt: '{n} offen nach einer Erstattung: Ihre nächsten Punkte gleichen das zuerst aus',
    tier: 'Ihre Stufe',
    toNext: 'Noch {n} in 12 Monaten bis {tier}',
    topTier: 'Sie haben die höchste Stufe erreicht.',
    card: 'Mitgliedskarte',
    cardHint: 'Zeigen Sie diesen Code an der Kasse.',
    rewards: 'Prämien',
    noRewards: 'Zurzeit gibt es keine Prämien.',
    redeem: 'Für {n} einlösen',
    missing: 'Noch {n} nötig',
    limitReached: 'So oft eingelöst wie erlaubt',
    left: 'Noch {n} verfügbar',
    redeemedTitle: 'Eingelöst: {reward}',
    redeemedCode: 'Ihr Code – an der Kasse eingeben:',
    redeemedPerk: 'Wir melden uns wegen Ihrer Prämie bei Ihnen.',
    refusals: {
      insufficient_points: 'Ihr Guthaben reicht für diese Prämie nicht aus.',
      out_of_stock: 'Diese Prämie ist leider gerade vergriffen.',
      member_limit_reached: 'Sie haben diese Prämie so oft eingelöst wie erlaubt.',
      gone: 'Diese Prämie wird leider nicht mehr angeboten.',
    },
    friend: 'Freunde werben',
    friendText: 'Teilen Sie Ihren persönlichen Link: Bestellt jemand darüber, bekommen Sie Punkte.',
    challenges: 'Aktionen',
    progress: '{n} von {goal}',
    bonus: '+{n} Bonus',
    done: 'Geschafft',
    until: 'bis {date}',
    history: 'Verlauf',
    noHistory: 'Noch keine Einträge.',
    kinds: {
      earn: 'Gesammelt',
      pending: 'Vorgemerkt',
      release: 'Jetzt verfügbar',
      spend: 'Eingelöst',
      expire: 'Verfallen',
      reverse: 'Zurückgebucht',
      adjust: 'Korrektur',
    },
    sources: {
      purchase: 'Einkauf',
      code_entry: 'Packungscode',
      review: 'Bewertung',
      survey: 'Umfrage',
      referral: 'Freund geworben',
      referral_welcome: 'Willkommensbonus',
      signup: 'Anmeldung',
      custom: 'Bonus',
      challenge: 'Aktion',
      reward: 'Prämie',
      refund: 'Erstattung',
      expiry: 'Verfall',
      manual: 'Korrektur',
    },
    language: 'English',
    invalidTitle: 'Dieser Link ist nicht mehr gültig',
    invalidText: 'Sie haben einen neueren Link zu Ihrem Konto bekommen, oder dieser wurde zurückgezogen. Bitte fragen Sie den Shop nach einem neuen Link.',
    closedTitle: 'Das Bonusprogramm ist nicht verfügbar',
    closedText: 'Bitte versuchen Sie es später noch einmal.',
  },
};
