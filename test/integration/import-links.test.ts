/** POST /api/v1/imports/links: a CSV of links in, one result per row out; the same file twice creates nothing new. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, makeCampaign, makeKey, makeLink, BASE } from '../helpers';
import { countingDb } from '../support/counting-db';

const importLinks = (text: string | Uint8Array, headers: Record<string, string> = {}, key?: string) =>
  call('POST', '/api/v1/imports/links', { rawBody: text, headers: { 'Content-Type': 'text/csv', ...headers }, key });

const linksOf = async (campaignId: string) =>
  (
    await env.DB.prepare('SELECT slug, destination, kind, utm_source, utm_medium, utm_content FROM links WHERE campaign_id = ? ORDER BY destination')
      .bind(campaignId)
      .all()
  ).results;

describe('POST /api/v1/imports/links', () => {
  it('creates the good rows, skips duplicates and fails broken rows, each with its own result', async () => {
    const spring = await makeCampaign({ name: 'Import Spring' });
    const existing = await makeLink({ campaign_id: spring.id, destination: 'https://shop.example/old', slug: 'imp-old' });
    const csv = [
      'campaign,destination,slug,kind,utm_source,utm_medium',
      `${spring.id},https://shop.example/a,imp-a,,newsletter,email`,
      'Import Spring,https://shop.example/b,,qr,flyer,print',
      `${spring.id},https://shop.example/old,imp-old,,,`,
      `${spring.id},not a url,,,,`,
      'No Such Campaign,https://shop.example/c,,,,',
      `${spring.id},https://shop.example/d,imp-a,,,`,
      `${spring.id},https://shop.example/e,,banner,,`,
      'Import Spring,https://shop.example/b,,qr,flyer,print',
      `${spring.id},https://shop.example/f`,
    ].join('\n');

    const response = await importLinks(csv);
    expect(response.status).toBe(200);
    const body = await json(response);
    const ids = body.results.map((row: { id?: string }) => row.id);
    expect(body).toEqual({
      counts: { rows: 9, created: 2, duplicate: 2, failed: 5 },
      results: [
        { row: 1, line: 2, status: 'created', id: ids[0] },
        { row: 2, line: 3, status: 'created', id: ids[1] },
        { row: 3, line: 4, status: 'duplicate', id: existing.id },
        { row: 4, line: 5, status: 'failed', error: { code: 'validation_error', message: 'destination: must not contain spaces or control characters' } },
        { row: 5, line: 6, status: 'failed', error: { code: 'unprocessable', message: 'campaign: no campaign has the id or name "No Such Campaign"' } },
        { row: 6, line: 7, status: 'failed', error: { code: 'slug_taken', message: 'slug: "imp-a" is already taken by a link to another destination' } },
        {
          row: 7,
          line: 8,
          status: 'failed',
          error: { code: 'validation_error', message: 'kind: Invalid option: expected one of "link"|"qr"|"email"|"referral"' },
        },
        { row: 8, line: 9, status: 'duplicate', id: ids[1] },
        { row: 9, line: 10, status: 'failed', error: { code: 'validation_error', message: 'has 2 fields; the header has 6' } },
      ],
    });
    expect(ids[0]).toMatch(/^lnk_/);
    expect(await linksOf(spring.id)).toEqual([
      { slug: 'imp-a', destination: 'https://shop.example/a', kind: 'link', utm_source: 'newsletter', utm_medium: 'email', utm_content: null },
      {
        slug: expect.stringMatching(/^[0-9A-Za-z]{7}$/),
        destination: 'https://shop.example/b',
        kind: 'qr',
        utm_source: 'flyer',
        utm_medium: 'print',
        utm_content: null,
      },
      { slug: 'imp-old', destination: 'https://shop.example/old', kind: 'link', utm_source: null, utm_medium: null, utm_content: null },
    ]);

    // The same file again: nothing new, the created rows are now duplicates of what the first run made.
    const again = await json(await importLinks(csv));
    expect(again.counts).toEqual({ rows: 9, created: 0, duplicate: 4, failed: 5 });
    expect(again.results.map((row: { status: string; id?: string }) => [row.status, row.id])).toEqual([
      ['duplicate', ids[0]],
      ['duplicate', ids[1]],
      ['duplicate', existing.id],
      ['failed', undefined],
      ['failed', undefined],
      ['failed', undefined],
      ['failed', undefined],
      ['duplicate', ids[1]],
      ['failed', undefined],
    ]);
    expect(await linksOf(spring.id)).toHaveLength(3);
  });

  it('reads the campaign by id or by its exact name, and refuses an archived or ambiguous one', async () => {
    const one = await makeCampaign({ name: 'Import Unique' });
    await makeCampaign({ name: 'Import Twin' });
    await makeCampaign({ name: 'Import Twin' });
    const old = await makeCampaign({ name: 'Import Old' });
    expect((await call('POST', `/api/v1/campaigns/${old.id}/archive`)).status).toBe(200);
    const csv = [
      'campaign,destination',
      'Import Unique,https://shop.example/1',
      'import unique,https://shop.example/2',
      'Import Twin,https://shop.example/3',
      `${old.id},https://shop.example/4`,
    ].join('\r\n');
    const body = await json(await importLinks(csv));
    expect(body.results.map((row: { status: string; error?: { message: string } }) => row.error?.message ?? row.status)).toEqual([
      'created',
      'campaign: no campaign has the id or name "import unique"',
      'campaign: 2 campaigns are named "Import Twin"; give the campaign\'s id',
      `campaign: "${old.id}" is archived`,
    ]);
    expect(await linksOf(one.id)).toHaveLength(1);
  });

  it('reads RFC 4180: a BOM, CRLF, quoted separators, doubled quotes and line breaks in quotes, any column order', async () => {
    const campaign = await makeCampaign({ name: 'Import Quotes' });
    const csv = `\uFEFFDestination,utm_content,Campaign,slug\r\n"https://shop.example/q?a=1,2","Say ""hi"", then\r\nbye",${campaign.id},imp-quoted\r\n"https://shop.example/plain",,"${campaign.id}",""\r\n`;
    const body = await json(await importLinks(csv));
    expect(body.results.map((row: { status: string; line: number }) => [row.status, row.line])).toEqual([
      ['created', 2],
      ['created', 4],
    ]);
    expect(await linksOf(campaign.id)).toEqual([
      { slug: expect.any(String), destination: 'https://shop.example/plain', kind: 'link', utm_source: null, utm_medium: null, utm_content: null },
      {
        slug: 'imp-quoted',
        destination: 'https://shop.example/q?a=1,2',
        kind: 'link',
        utm_source: null,
        utm_medium: null,
        utm_content: 'Say "hi", then\r\nbye',
      },
    ]);
  });

  it('imports 10,000 rows in one request, and the same file again creates nothing', async () => {
    const campaign = await makeCampaign({ name: 'Import Big' });
    const lines = ['campaign,destination,slug,utm_source'];
    for (let i = 0; i < 10_000; i++) lines.push(`${campaign.id},https://shop.example/p/${i},${i % 2 === 0 ? `big-${i}` : ''},src${i % 7}`);
    const csv = lines.join('\n');
    const counting = countingDb();
    const started = performance.now();
    const body = await json(
      await call('POST', '/api/v1/imports/links', { rawBody: csv, headers: { 'Content-Type': 'text/csv' }, env: { DB: counting.DB, PUBLIC_ORIGIN: BASE } }),
    );
    const firstMs = performance.now() - started;
    // Within D1's 1,000 queries per Worker invocation, even counting each statement of a batch.
    expect(counting.statements()).toBeLessThanOrEqual(1000);
    expect(body.counts).toEqual({ rows: 10_000, created: 10_000, duplicate: 0, failed: 0 });
    expect(body.results[9_999]).toEqual({ row: 10_000, line: 10_001, status: 'created', id: expect.stringMatching(/^lnk_/) });
    const stored = await env.DB.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT slug) AS slugs FROM links WHERE campaign_id = ?').bind(campaign.id).first();
    expect(stored).toEqual({ n: 10_000, slugs: 10_000 });

    const rerun = performance.now();
    const again = await json(await importLinks(csv));
    const againMs = performance.now() - rerun;
    expect(again.counts).toEqual({ rows: 10_000, created: 0, duplicate: 10_000, failed: 0 });
    expect(again.results.map((row: { id: string }) => row.id)).toEqual(body.results.map((row: { id: string }) => row.id));
    console.log(
      `10,000-row link import inside workerd: ${Math.round(firstMs)} ms and ${counting.statements()} D1 statements; again (all duplicates) ${Math.round(againMs)} ms`,
    );
  }, 120_000);
});

describe('POST /api/v1/imports/links refuses a whole file, writing nothing', () => {
  const refusal = async (response: Response) => [response.status, (await json(response)).error];

  it.each([
    ['no header row', '', 400, 'validation_error', 'The file is empty: a header row naming the columns is required (campaign, destination …)'],
    [
      'an unknown column',
      'campaign,destination,colour,Size\nx,https://a.example',
      400,
      'validation_error',
      'Unknown columns "colour", "size"; the columns are campaign, destination, slug, kind, utm_source, utm_medium, utm_campaign, utm_term, utm_content',
    ],
    ['a missing required column', 'campaign,slug\nx,y', 400, 'validation_error', 'Missing required column destination'],
    ['a column named twice', 'campaign,destination,Campaign\nx,y,z', 400, 'validation_error', 'Column "campaign" is named twice'],
    [
      'an unclosed quote',
      'campaign,destination\nx,"https://a.example\n',
      400,
      'validation_error',
      'Not CSV (RFC 4180): line 2: a quoted field is never closed',
    ],
    [
      'text after a closing quote',
      'campaign,destination\n"x"y,z\n',
      400,
      'validation_error',
      'Not CSV (RFC 4180): line 2: text after a closing quote (a quote inside a field is written "")',
    ],
  ])('%s', async (_name, text, status, code, message) => {
    expect(await refusal(await importLinks(text))).toEqual([status, { code, message }]);
  });

  it('answers 415 for a body that is not text/csv, and 400 for bytes that are not UTF-8', async () => {
    expect(await refusal(await importLinks('campaign,destination\n', { 'Content-Type': 'application/json' }))).toEqual([
      415,
      { code: 'unsupported_media_type', message: 'Send the file as "Content-Type: text/csv" (UTF-8), not "application/json"' },
    ]);
    expect((await importLinks('campaign,destination\n', { 'Content-Type': 'text/csv; charset=iso-8859-1' })).status).toBe(415);
    expect((await importLinks('campaign,destination\n', { 'Content-Type': 'text/csv; charset=UTF-8' })).status).toBe(200);
    const latin1 = Uint8Array.from([...new TextEncoder().encode('campaign,destination\nM'), 0xfc, ...new TextEncoder().encode('nchen,https://a.example\n')]);
    expect(await refusal(await importLinks(latin1))).toEqual([400, { code: 'validation_error', message: 'The body is not UTF-8 text' }]);
  });

  it('answers 413 for more than 10,000 rows or more than 5 MiB, creating nothing', async () => {
    const campaign = await makeCampaign({ name: 'Import Too Many' });
    const rows = Array.from({ length: 10_001 }, (_, i) => `${campaign.id},https://shop.example/${i}`);
    expect(await refusal(await importLinks(['campaign,destination', ...rows].join('\n')))).toEqual([
      413,
      { code: 'payload_too_large', message: 'The file has 10001 rows; one request takes at most 10000' },
    ]);
    const huge = `campaign,destination\n${campaign.id},https://shop.example/${'x'.repeat(5 * 1024 * 1024)}\n`;
    expect(await refusal(await importLinks(huge))).toEqual([
      413,
      { code: 'payload_too_large', message: 'The body is larger than 5242880 bytes; split the file' },
    ]);
    expect(await linksOf(campaign.id)).toEqual([]);
  });

  it('needs links:write', async () => {
    const key = await makeKey(['conversions:write']);
    expect((await importLinks('campaign,destination\n', {}, key)).status).toBe(403);
    expect((await importLinks('campaign,destination\n', {}, await makeKey(['links:write']))).status).toBe(200);
  });
});
