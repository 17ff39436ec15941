// Demo data for `npm start` on an empty database, created through the public API.
const CAMPAIGN = { name: 'Spring Sale 2026', landing_url: 'https://shop.example/spring', description: 'Demo campaign across channels' };

const LINKS = [
  { destination: 'https://shop.example/spring', slug: 'spring-flyer', kind: 'qr', utm_source: 'flyer', utm_medium: 'print', label: 'Flyer A5' },
  { destination: 'https://shop.example/spring', slug: 'spring-news', kind: 'email', utm_source: 'newsletter', utm_medium: 'email', label: 'Newsletter March' },
  { destination: 'https://shop.example/spring', slug: 'spring-sms', utm_source: 'sms', utm_medium: 'sms', label: 'SMS blast' },
  { destination: 'https://shop.example/spring', slug: 'spring-insta', utm_source: 'instagram', utm_medium: 'social', label: 'Instagram bio' },
];

/** Creates the demo campaign and links when there are no campaigns yet; true when it did. */
export async function seedDemo(base, adminKey) {
  const headers = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
  const existing = await (await fetch(`${base}/api/v1/campaigns?limit=1`, { headers })).json();
  if (existing.data.length > 0) return false;
  const campaign = await (await fetch(`${base}/api/v1/campaigns`, { method: 'POST', headers, body: JSON.stringify(CAMPAIGN) })).json();
  const links = LINKS.map((link) => ({ ...link, campaign_id: campaign.id }));
  const response = await fetch(`${base}/api/v1/links/bulk`, { method: 'POST', headers, body: JSON.stringify({ links }) });
  if (response.status !== 201) throw new Error(`demo links: ${response.status} ${await response.text()}`);
  return true;
}
