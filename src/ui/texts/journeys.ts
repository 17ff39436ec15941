/** Texts of the data-driven model's removal effects and of the conversion-paths page. */
export const en = {
  removalEffects: 'Removal effects (data-driven model)',
  removalEffect: 'Removal effect',
  removalEffectValue: 'Removal effect on value',
  removalEffectsNote:
    'The share of conversions (and of their value) that would be lost if the channel were taken out of every journey; credit is split in proportion to it.',
  markovJourneys: 'Computed from {journeys} journeys of the range, {converting} of them converting.',
  markovComputedAt: 'Fitted by the scheduled job at {time}; other ranges are fitted when the page is opened.',
  conversionPaths: 'Conversion paths',
  conversionPathsIntro: 'The channel sequences that led to a conversion in the range, the most frequent first.',
  path: 'Path',
  pathLength: 'Touches before the conversion',
  daysToConversion: 'Days from first touch to conversion',
  share: 'Share',
  noPathsInRange: 'No conversion with a touch in this range.',
};

export const de: typeof en = {
  removalEffects: 'Entfernungseffekte (datengetriebenes Modell)',
  removalEffect: 'Entfernungseffekt',
  removalEffectValue: 'Entfernungseffekt auf den Wert',
  removalEffectsNote:
    'Der Anteil der Conversions (und ihres Werts), der verloren ginge, wenn der Kanal aus jeder Customer Journey entfernt würde; der Anteil wird im Verhältnis dazu verteilt.',
  markovJourneys: 'Berechnet aus {journeys} Customer Journeys des Zeitraums, davon {converting} mit Conversion.',
  markovComputedAt: 'Vom geplanten Job berechnet am {time}; andere Zeiträume werden beim Öffnen der Seite berechnet.',
  conversionPaths: 'Conversion-Pfade',
  conversionPathsIntro: 'Die Kanalfolgen, die im Zeitraum zu einer Conversion geführt haben, die häufigsten zuerst.',
  path: 'Pfad',
  pathLength: 'Kontakte vor der Conversion',
  daysToConversion: 'Tage vom ersten Kontakt bis zur Conversion',
  share: 'Anteil',
  noPathsInRange: 'Keine Conversion mit einem Kontakt in diesem Zeitraum.',
};
