/**
 * A link's rules and A/B split in headless Chromium against `npm start`: the edit form refuses bad JSON and a
 * non-positive weight on its field and saves good rules; the link page shows visits and conversions per variant
 * with the significance verdict, and "not enough data yet" for a split with few visitors.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, signedInSession, type Worker } from './harness';

const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let worker: Worker;
let page: Page;
let session: Awaited<ReturnType<typeof signedInSession>>;

const api = async (method: string, pathname: string, body?: unknown) => {
  const response = await fetch(`${worker.base}${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${worker.adminKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
};

beforeAll(async () => {
  session = await signedInSession();
  ({ worker, page } = session);
});

afterAll(async () => {
  await session?.stop();
});

describe('a link with rules and variants in Chromium', () => {
  let campaign: any;
  let link: any;

  it('edits rules and variants in the link form, refusing bad input on its field', async () => {
    campaign = (await api('POST', '/api/v1/campaigns', { name: 'E2E Split' })).body;
    link = (await api('POST', '/api/v1/links', { campaign_id: campaign.id, destination: 'https://shop.example/plain' })).body;
    await page.goto(`${worker.base}/campaigns/${campaign.id}?section=links&edit=${link.id}#edit-link`);
    await page.locator('#l-variants').fill('[{"destination": "https://shop.example/a", "weight": 1}');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#l-variants-error').textContent()).resolves.toMatch(/^is not valid JSON: /);
    await page.locator('#l-variants').fill('[{"destination": "https://shop.example/a", "weight": 1}, {"destination": "https://shop.example/b", "weight": 0}]');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('#l-variants-error').textContent()).resolves.toBe('variants: variant 2 weight must be a positive number');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.locator('#l-variants').fill('[{"destination": "https://shop.example/a", "weight": 1}, {"destination": "https://shop.example/b", "weight": 1}]');
    await page
      .locator('#l-rules')
      .fill('[{"label": "Poster", "destination": "https://shop.example/poster", "conditions": [{"type": "query", "value": "src=poster"}]}]');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState();
    const stored = (await api('GET', `/api/v1/links/${link.id}`)).body;
    expect(stored.variants).toEqual([
      { destination: 'https://shop.example/a', weight: 1 },
      { destination: 'https://shop.example/b', weight: 1 },
    ]);
    expect(stored.rules).toEqual([{ label: 'Poster', destination: 'https://shop.example/poster', conditions: [{ type: 'query', value: 'src=poster' }] }]);
  });

  it('shows visits, conversions and conversion rate per variant with the verdict', async () => {
    const byVariant: Record<string, string[]> = { A: [], B: [] };
    for (let i = 0; i < 260; i++) {
      const response = await fetch(`${worker.base}/${link.slug}`, {
        redirect: 'manual',
        headers: { 'User-Agent': CHROME_UA, Cookie: `tp_vid=v_01JE2E${String(i).padStart(20, '0')}` },
      });
      const location = new URL(response.headers.get('Location')!);
      byVariant[location.pathname === '/a' ? 'A' : 'B'].push(location.searchParams.get('tp_click')!);
    }
    await fetch(`${worker.base}/${link.slug}?src=poster`, { redirect: 'manual', headers: { 'User-Agent': CHROME_UA } });
    expect(byVariant.A.length).toBeGreaterThanOrEqual(100);
    expect(byVariant.B.length).toBeGreaterThanOrEqual(100);
    // A converts 10 visitors, B 40: far apart on 100+ visitors each.
    const converting = [...byVariant.A.slice(0, 10), ...byVariant.B.slice(0, 40)];
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the touches are written after the redirects
    for (const [i, clickId] of converting.entries()) {
      expect(
        (await api('POST', '/api/v1/conversions', { type: 'sale', order_id: `e2e-split-${i}`, click_id: clickId, value: 10, currency: 'EUR' })).status,
      ).toBe(201);
    }
    const report = (await api('GET', `/api/v1/links/${link.id}/routing`)).body;
    expect(report.experiments[0].variants.map((v: any) => [v.variant, v.visitors, v.conversions, v.verdict])).toEqual([
      ['A', byVariant.A.length, 10, 'control'],
      ['B', byVariant.B.length, 40, 'significant'],
    ]);

    await page.goto(`${worker.base}/campaigns/${campaign.id}/links/${link.id}`);
    const section = page.locator('#routing');
    await expect(section.getByRole('heading', { level: 2, name: 'Rules and variants' }).isVisible()).resolves.toBe(true);
    await expect(section.locator('tr[data-rule="Poster"] td[data-metric="visits"]').textContent()).resolves.toBe('1');
    await expect(section.locator('tr[data-rule=""][data-variant="A"] td[data-metric="visits"]').textContent()).resolves.toBe(String(byVariant.A.length));
    const experiment = section.locator('table.experiment');
    await expect(experiment.locator('tr[data-variant="A"] td[data-metric="visitors"]').textContent()).resolves.toBe(String(byVariant.A.length));
    await expect(experiment.locator('tr[data-variant="B"] td[data-metric="conversions"]').textContent()).resolves.toBe('40');
    await expect(experiment.locator('tr[data-variant="A"] td[data-col="verdict"]').textContent()).resolves.toBe('control');
    const p = report.experiments[0].variants[1].p_value;
    await expect(experiment.locator('tr[data-variant="B"] td[data-col="verdict"]').textContent()).resolves.toBe(`significant (p = ${p})`);
    expect(p).toBeLessThan(0.05);
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('says "not enough data yet" for a split with few visitors', async () => {
    const small = (
      await api('POST', '/api/v1/links', {
        campaign_id: campaign.id,
        destination: 'https://shop.example/plain',
        variants: [
          { destination: 'https://shop.example/x', weight: 1, label: 'Red' },
          { destination: 'https://shop.example/y', weight: 1, label: 'Blue' },
        ],
      })
    ).body;
    for (let i = 0; i < 6; i++)
      await fetch(`${worker.base}/${small.slug}`, {
        redirect: 'manual',
        headers: { 'User-Agent': CHROME_UA, Cookie: `tp_vid=v_01JE2F${String(i).padStart(20, '0')}` },
      });
    await page.goto(`${worker.base}/campaigns/${campaign.id}/links/${small.id}`);
    await expect(page.locator('#routing table.experiment tr[data-variant="Blue"] td[data-col="verdict"]').textContent()).resolves.toBe('not enough data yet');
  });

  it('creates a routed link in one step from the new-link form: a rule and a split, each visit sent and recorded', async () => {
    await page.goto(`${worker.base}/campaigns/${campaign.id}?section=links#new-link`);
    const form = page.locator('#new-link');
    await form.locator('[name="destination"]').fill('https://shop.example/default');
    await form.locator('[name="slug"]').fill('e2e-routed-new');
    await form
      .locator('#n-rules')
      .fill('[{"label": "Poster", "destination": "https://shop.example/poster", "conditions": [{"type": "query", "value": "src=poster"}]}]');
    await form.locator('#n-variants').fill('[{"destination": "https://shop.example/a", "weight": 1}');
    await form.getByRole('button', { name: 'Create' }).click();
    // Bad JSON is named on its field, and what was typed stays.
    await expect(page.locator('#n-variants-error').textContent()).resolves.toMatch(/^is not valid JSON: /);
    await expect(page.locator('#n-rules').inputValue()).resolves.toContain('"Poster"');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page
      .locator('#n-variants')
      .fill(
        '[{"destination": "https://shop.example/a", "weight": 3, "label": "Gold"}, {"destination": "https://shop.example/b", "weight": 1, "label": "Blue"}]',
      );
    await page.locator('#new-link').getByRole('button', { name: 'Create' }).click();
    await page.waitForLoadState();
    const listed = (await api('GET', `/api/v1/links?campaign_id=${campaign.id}&limit=100`)).body.data.find((row: any) => row.slug === 'e2e-routed-new');
    expect([listed.rules, listed.variants]).toEqual([
      [{ label: 'Poster', destination: 'https://shop.example/poster', conditions: [{ type: 'query', value: 'src=poster' }] }],
      [
        { destination: 'https://shop.example/a', weight: 3, label: 'Gold' },
        { destination: 'https://shop.example/b', weight: 1, label: 'Blue' },
      ],
    ]);
    const visit = async (query: string, visitor: string) => {
      const response = await fetch(`${worker.base}/e2e-routed-new${query}`, {
        redirect: 'manual',
        headers: { 'User-Agent': CHROME_UA, Cookie: `tp_vid=${visitor}` },
      });
      const location = new URL(response.headers.get('Location')!);
      return `${response.status} ${location.origin}${location.pathname}`;
    };
    expect(await visit('?src=poster', 'v_01JE2GPOSTER000000000000000')).toBe('302 https://shop.example/poster');
    const split = await Promise.all(Array.from({ length: 8 }, (_, i) => visit('', `v_01JE2G${String(i).padStart(22, '0')}`)));
    expect(split.every((answer) => answer === '302 https://shop.example/a' || answer === '302 https://shop.example/b')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the touches are written after the redirects
    const report = (await api('GET', `/api/v1/links/${listed.id}/routing`)).body;
    const visits = (rule: string | null, variant: string | null) =>
      report.rows.filter((row: any) => row.rule === rule && row.variant === variant).reduce((sum: number, row: any) => sum + row.visits, 0);
    expect([visits('Poster', null), visits(null, 'Gold') + visits(null, 'Blue')]).toEqual([1, 8]);
    expect(visits(null, 'Gold')).toBe(split.filter((answer) => answer.endsWith('/a')).length);
  });
});
