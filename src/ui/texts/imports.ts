/** Texts of the import page: uploading links or historic orders from a CSV file, with a result per row. */
export const en = {
  navImport: 'Import',
  importTitle: 'Import from CSV',
  importIntro:
    'Upload a CSV file of links or of past orders. Every row gets its own result: created, skipped as a duplicate of what is already stored, or failed with the reason. Importing the same file again creates nothing new.',
  importWhat: 'What the file holds',
  importLinks: 'Links',
  importLinksHelp:
    'Columns: campaign (its id, or its exact name), destination; optional slug, kind (link, qr, email, referral), utm_source, utm_medium, utm_campaign, utm_term, utm_content. Up to 10,000 rows.',
  importOrders: 'Past orders',
  importOrdersHelp:
    'Columns: order_id, occurred_at (e.g. 2026-03-01T12:00:00Z); optional type (default sale), value, currency, customer_ref, click_id, promo_code. Each order is attributed to the touches before it and earns loyalty points like a new one.',
  importFile: 'CSV file (UTF-8, with a header row)',
  importStart: 'Import',
  importProgress: 'Progress',
  importRunning: 'Rows imported: {done} of {total} …',
  importFinished: 'Done — rows: {rows}, created: {created}, duplicates: {duplicate}, failed: {failed}.',
  importStopped: 'The import stopped (rows imported: {done} of {total}):',
  importSessionEnded: 'Your session has ended; sign in again and import the file again (stored rows are skipped).',
  importNoFile: 'Choose a CSV file.',
  importResults: 'Results',
  importRow: 'Row',
  importLine: 'Line',
  importStatus: 'Result',
  importId: 'Id',
  importError: 'Reason',
  importDownload: 'Download results (CSV)',
  importStatusCreated: 'created',
  importStatusDuplicate: 'duplicate',
  importStatusFailed: 'failed',
};

export const de: typeof en = {
  navImport: 'Import',
  importTitle: 'Import aus CSV',
  importIntro:
    'Eine CSV-Datei mit Links oder vergangenen Bestellungen hochladen. Jede Zeile erhält ihr eigenes Ergebnis: angelegt, als Duplikat von bereits Gespeichertem übersprungen oder fehlgeschlagen mit Grund. Dieselbe Datei erneut importiert legt nichts Neues an.',
  importWhat: 'Inhalt der Datei',
  importLinks: 'Links',
  importLinksHelp:
    'Spalten: campaign (ihre ID oder ihr genauer Name), destination; optional slug, kind (link, qr, email, referral), utm_source, utm_medium, utm_campaign, utm_term, utm_content. Bis zu 10.000 Zeilen.',
  importOrders: 'Vergangene Bestellungen',
  importOrdersHelp:
    'Spalten: order_id, occurred_at (z. B. 2026-03-01T12:00:00Z); optional type (Standard sale), value, currency, customer_ref, click_id, promo_code. Jede Bestellung wird den Kontakten davor zugeordnet und bringt Treuepunkte wie eine neue.',
  importFile: 'CSV-Datei (UTF-8, mit Kopfzeile)',
  importStart: 'Importieren',
  importProgress: 'Fortschritt',
  importRunning: 'Zeilen importiert: {done} von {total} …',
  importFinished: 'Fertig — Zeilen: {rows}, angelegt: {created}, Duplikate: {duplicate}, fehlgeschlagen: {failed}.',
  importStopped: 'Der Import wurde angehalten (Zeilen importiert: {done} von {total}):',
  importSessionEnded: 'Ihre Sitzung ist abgelaufen; bitte neu anmelden und die Datei erneut importieren (Gespeichertes wird übersprungen).',
  importNoFile: 'Bitte eine CSV-Datei wählen.',
  importResults: 'Ergebnisse',
  importRow: 'Zeile',
  importLine: 'Dateizeile',
  importStatus: 'Ergebnis',
  importId: 'ID',
  importError: 'Grund',
  importDownload: 'Ergebnisse herunterladen (CSV)',
  importStatusCreated: 'angelegt',
  importStatusDuplicate: 'Duplikat',
  importStatusFailed: 'fehlgeschlagen',
};
