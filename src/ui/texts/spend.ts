/** Texts of spend: the spend page (form, upload, entries) and the spend columns of the channel and campaign tables. */
export const en = {
  spendTitle: 'Spend',
  spendIntro:
    "What a day cost, per campaign or per channel, in any currency (converted into the reporting currency at the rate of that day, like revenue). Entering the same day and campaign (or channel) again replaces its amount. A campaign's cost counts on its links' channels, split by how many links each channel has.",
  spendLink: 'Enter spend',
  spendEntries: 'Spend entries',
  noSpend: 'No spend in this period.',
  addSpend: 'Save spend',
  spendDay: 'Day',
  spendTarget: 'Campaign or channel',
  spendAmount: 'Amount',
  spendSaved: 'Spend saved:',
  spendDeleted: 'Spend entry deleted.',
  deleteSpend: 'Delete',
  uploadSpend: 'Upload CSV',
  spendFile: 'CSV file',
  spendCsvHelp:
    'A header line day,campaign_id,channel,amount,currency, then one entry a line with a campaign id or a channel, e.g. 2026-03-01,,paid,120.50,EUR. When any line is wrong, nothing is stored.',
  spendTable: 'Spend and return per campaign',
  noCampaignRow: 'No campaign',
  newCustomers: 'New customers',
  spendColumn: 'Spend',
  costPerConversion: 'Cost per conversion',
  roas: 'ROAS',
  cac: 'CAC',
};

export const de: typeof en = {
  spendTitle: 'Kosten',
  spendIntro:
    'Was ein Tag gekostet hat, je Kampagne oder je Kanal, in jeder Währung (zum Kurs dieses Tages in die Berichtswährung umgerechnet, wie der Umsatz). Derselbe Tag mit derselben Kampagne (oder demselben Kanal) ersetzt den Betrag. Die Kosten einer Kampagne zählen auf den Kanälen ihrer Links, aufgeteilt nach der Zahl der Links je Kanal.',
  spendLink: 'Kosten erfassen',
  spendEntries: 'Kosteneinträge',
  noSpend: 'Keine Kosten in diesem Zeitraum.',
  addSpend: 'Kosten speichern',
  spendDay: 'Tag',
  spendTarget: 'Kampagne oder Kanal',
  spendAmount: 'Betrag',
  spendSaved: 'Kosten gespeichert:',
  spendDeleted: 'Kosteneintrag gelöscht.',
  deleteSpend: 'Löschen',
  uploadSpend: 'CSV hochladen',
  spendFile: 'CSV-Datei',
  spendCsvHelp:
    'Eine Kopfzeile day,campaign_id,channel,amount,currency, dann ein Eintrag je Zeile mit einer Kampagnen-ID oder einem Kanal, z. B. 2026-03-01,,paid,120.50,EUR. Ist eine Zeile falsch, wird nichts gespeichert.',
  spendTable: 'Kosten und Ertrag je Kampagne',
  noCampaignRow: 'Keine Kampagne',
  newCustomers: 'Neukunden',
  spendColumn: 'Kosten',
  costPerConversion: 'Kosten je Conversion',
  roas: 'ROAS',
  cac: 'CAC',
};
