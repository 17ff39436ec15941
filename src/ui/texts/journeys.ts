/** Texts of the data-driven model's removal effects and of the conversion-paths page. */
export const en = {
  removalEffects: 'Removal effects (data-driven model)',
  removalEffect: 'Removal effect',
  removalEffectValue: 'Removal effect on value',
  removalEffectsNote:
    'The share of conversions (and of their value) that would be lost if the channel were taken out of every journey; credit is split in proportion to it.',
  markovJourneys: 'Computed from {journeys} journeys of the range, {converting} of them converting.',
  markovComputedAt: 'Fitted by the scheduled job at {time}; ranges without a stored fit are fitted when the page is opened, large ones by the scheduled job.',
  markovComputing:
    "The data-driven model of this range is being computed by the scheduled job (requested at {time}). Until it is ready, the figures are the linear model's; reload the page in a few minutes.",
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
  markovComputedAt:
    'Vom geplanten Job berechnet am {time}; Zeiträume ohne gespeicherte Berechnung werden beim Öffnen der Seite berechnet, große vom geplanten Job.',
  markovComputing:
    'Das datengetriebene Modell dieses Zeitraums wird gerade vom geplanten Job berechnet (angefordert am {time}). Bis es fertig ist, zeigen die Zahlen das lineare Modell; laden Sie die Seite in einigen Minuten neu.',
  conversionPaths: 'Conversion-Pfade',
  conversionPathsIntro: 'Die Kanalfolgen, die im Zeitraum zu einer Conversion geführt haben, die häufigsten zuerst.',
  path: 'Pfad',
  pathLength: 'Kontakte vor der Conversion',
  daysToConversion: 'Tage vom ersten Kontakt bis zur Conversion',
  share: 'Anteil',
  noPathsInRange: 'Keine Conversion mit einem Kontakt in diesem Zeitraum.',
};
