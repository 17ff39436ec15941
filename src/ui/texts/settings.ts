/** Texts of the admin's settings pages: the navigation entry, its tabs, and the API keys page (with the dead-letter notice). */
export const en = {
  navKeys: 'API keys',
  navSettings: 'Settings',
  settingsTabs: 'Settings sections',
  apiKeys: 'API keys',
  keysIntro: 'Keys for the shop (conversions:write), for scripts and for colleagues. The admin token from the server settings is not listed.',
  scopes: 'Scopes',
  keyStarts: 'Starts with',
  lastUsed: 'Last used',
  never: 'never',
  newKey: 'New key',
  createKey: 'Create key',
  revoke: 'Revoke',
  keyCreated: 'Copy this key now — it is shown only once:',
  noKeys: 'No keys yet. Create one below.',
  deadLettersWaiting:
    'Visits the queue could not write to the database are kept in R2 (dead letters) — {objects} batches with {touches} visits wait. Once the database takes writes again, replay them (or POST /api/v1/maintenance/replay-dead-letters).',
  replayDeadLetters: 'Replay now',
  deadLettersReplayed: 'Replayed {objects} batches with {touches} visits; {remaining} batches wait.',
  deadLettersRefused:
    'The database refused the visits of a batch, so it was kept with every later one; replayed before it: {objects} batches. Try again once the database takes writes.',
  scopeHelp:
    'admin: everything · links:write: campaigns, links, codes · reports:read: reports · conversions:write: conversions and checkout · loyalty:read/loyalty:write: bonus program · integrations:write: shop connections and webhooks',
};

export const de: typeof en = {
  navKeys: 'API-Schlüssel',
  navSettings: 'Einstellungen',
  settingsTabs: 'Bereiche der Einstellungen',
  apiKeys: 'API-Schlüssel',
  keysIntro:
    'Schlüssel für den Shop (conversions:write), für Skripte und für Kolleginnen und Kollegen. Das Admin-Token aus den Server-Einstellungen steht nicht in der Liste.',
  scopes: 'Berechtigungen',
  keyStarts: 'Beginnt mit',
  lastUsed: 'Zuletzt benutzt',
  never: 'nie',
  newKey: 'Neuer Schlüssel',
  createKey: 'Schlüssel anlegen',
  revoke: 'Widerrufen',
  keyCreated: 'Kopieren Sie den Schlüssel jetzt – er wird nur einmal angezeigt:',
  noKeys: 'Noch keine Schlüssel. Legen Sie unten einen an.',
  deadLettersWaiting:
    'Besuche, die die Warteschlange nicht in die Datenbank schreiben konnte, liegen in R2 (Dead Letters) — {objects} Stapel mit {touches} Besuchen warten. Sobald die Datenbank wieder schreibt, spielen Sie sie ein (oder POST /api/v1/maintenance/replay-dead-letters).',
  replayDeadLetters: 'Jetzt einspielen',
  deadLettersReplayed: '{objects} Stapel mit {touches} Besuchen eingespielt; {remaining} Stapel warten.',
  deadLettersRefused:
    'Die Datenbank hat die Besuche eines Stapels abgelehnt; er bleibt mit allen späteren erhalten. Davor eingespielt: {objects} Stapel. Versuchen Sie es erneut, sobald die Datenbank wieder schreibt.',
  scopeHelp:
    'admin: alles · links:write: Kampagnen, Links, Codes · reports:read: Berichte · conversions:write: Conversions und Checkout · loyalty:read/loyalty:write: Bonusprogramm · integrations:write: Shop-Anbindungen und Webhooks',
};
