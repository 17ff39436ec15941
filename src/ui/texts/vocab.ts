/**
 * Names of the closed vocabularies (channels, attribution models, device
 * classes) as a reader sees them, with one sentence explaining each model.
 * Keys follow src/domain/vocab.ts; `vocabName` falls back to the raw value.
 */
export const en = {
  channel_offline: 'Offline',
  channel_mobile: 'Mobile',
  channel_email: 'Email',
  channel_referral: 'Referral',
  channel_social: 'Social',
  channel_search: 'Search',
  channel_paid: 'Paid',
  channel_display: 'Display',
  channel_other: 'Other',
  channel_direct: 'Direct',
  model_last_touch: 'Last touch',
  model_first_touch: 'First touch',
  model_linear: 'Linear',
  model_time_decay: 'Time decay',
  model_position: 'Position based',
  model_markov: 'Data-driven (Markov)',
  modelAbout_last_touch: 'All credit to the last interaction before the purchase.',
  modelAbout_first_touch: 'All credit to the first interaction that brought the customer.',
  modelAbout_linear: 'Credit shared equally by every interaction before the purchase.',
  modelAbout_time_decay: 'More credit to interactions close to the purchase: a touch 7 days earlier counts half as much.',
  modelAbout_position: '40 % to the first and 40 % to the last interaction, the remaining 20 % shared by those between.',
  modelAbout_markov:
    'Learned from every journey of the range, converting or not: each channel gets credit in proportion to the conversions lost if it were removed (first-order Markov chain).',
  device_mobile: 'Phone',
  device_tablet: 'Tablet',
  device_desktop: 'Desktop',
  device_bot: 'Bot',
};

export const de: typeof en = {
  channel_offline: 'Offline',
  channel_mobile: 'Mobil',
  channel_email: 'E-Mail',
  channel_referral: 'Empfehlung',
  channel_social: 'Soziale Medien',
  channel_search: 'Suche',
  channel_paid: 'Bezahlte Anzeigen',
  channel_display: 'Display-Werbung',
  channel_other: 'Sonstige',
  channel_direct: 'Direkt',
  model_last_touch: 'Letzter Kontakt',
  model_first_touch: 'Erster Kontakt',
  model_linear: 'Linear',
  model_time_decay: 'Zeitverfall',
  model_position: 'Positionsbasiert',
  model_markov: 'Datengetrieben (Markov)',
  modelAbout_last_touch: 'Der ganze Anteil geht an den letzten Kontakt vor dem Kauf.',
  modelAbout_first_touch: 'Der ganze Anteil geht an den ersten Kontakt, der den Kunden gebracht hat.',
  modelAbout_linear: 'Alle Kontakte vor dem Kauf teilen sich den Anteil zu gleichen Teilen.',
  modelAbout_time_decay: 'Kontakte nahe am Kauf zählen mehr: ein Kontakt 7 Tage davor zählt halb so viel.',
  modelAbout_position: '40 % an den ersten und 40 % an den letzten Kontakt, die übrigen 20 % teilen sich die dazwischen.',
  modelAbout_markov:
    'Aus allen Customer Journeys des Zeitraums gelernt, mit und ohne Conversion: jeder Kanal erhält Anteil im Verhältnis zu den Conversions, die ohne ihn verloren gingen (Markov-Kette erster Ordnung).',
  device_mobile: 'Smartphone',
  device_tablet: 'Tablet',
  device_desktop: 'Desktop',
  device_bot: 'Bot',
};

type VocabKind = 'channel' | 'model' | 'modelAbout' | 'device' | 'event';

/** The reader's name of a vocabulary value ("email" → "E-Mail"); unknown values are shown as they are. */
export function vocabName(t: typeof en, kind: VocabKind, value: string | null | undefined): string {
  if (value == null || value === '') return '–';
  return (t as Record<string, string>)[`${kind}_${value}`] ?? value;
}
