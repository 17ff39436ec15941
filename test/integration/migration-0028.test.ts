/**
 * schema/0028 rebuilds `links` (its slug was UNIQUE on its own; now unique per domain). On a database holding links,
 * touches and a campaign from before, every row and every column survives, foreign keys hold, the app reads and
 * redirects the old links, and the new index allows one slug per domain.
 */
import { applyD1Migrations, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, DESKTOP_CHROME, json } from '../helpers';

const db = env.SOLO_DB;
const before = env.TEST_MIGRATIONS.filter((migration) => migration.name < '0028');
const columnsOf = async (table: string) =>
  (await db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').bind(table).all<{ name: string }>()).results.map((row) => row.name);

let oldColumns: string[] = [];
let oldRows: unknown[] = [];
let oldTouches: unknown[] = [];

beforeAll(async () => {
  await applyD1Migrations(db, before);
  const now = '2026-11-01T10:00:00.000Z';
  await db.batch([
    db
      .prepare("INSERT INTO campaigns (id, name, utm_campaign, status, created_at, updated_at) VALUES ('cmp_A', 'Autumn', 'autumn', 'active', ?1, ?1)")
      .bind(now),
    db
      .prepare(
        `INSERT INTO links (id, campaign_id, slug, kind, channel, channel_set, label, destination, utm_source, utm_medium, utm_campaign,
         utm_term, utm_content, forward_query, expires_at, status, created_at, updated_at)
       VALUES ('lnk_1', 'cmp_A', 'flyer', 'qr', 'offline', 1, 'Flyer', 'https://shop.example/a', 'print', 'flyer', NULL, 't', 'c', 1, NULL, 'active', ?1, ?1),
              ('lnk_2', 'cmp_A', 'mail', 'email', 'email', 0, NULL, 'https://shop.example/b', NULL, 'email', 'override', NULL, NULL, 0,
               '2027-01-01T00:00:00.000Z', 'active', ?1, ?1),
              ('lnk_3', 'cmp_A', 'gone', 'link', 'other', 0, NULL, 'https://shop.example/c', NULL, NULL, NULL, NULL, NULL, 0, NULL, 'archived', ?1, ?1)`,
      )
      .bind(now),
    db
      .prepare(
        `INSERT INTO touches (id, type, occurred_at, campaign_id, link_id, channel, visitor_id, visitor_kind, device_class, is_bot)
       VALUES ('tpc_1', 'scan', ?1, 'cmp_A', 'lnk_1', 'offline', 'v_1', 'cookie', 'mobile', 0)`,
      )
      .bind(now),
  ]);
  oldColumns = await columnsOf('links');
  oldRows = (await db.prepare('SELECT * FROM links ORDER BY id').all()).results;
  oldTouches = (await db.prepare('SELECT * FROM touches ORDER BY id').all()).results;
  await applyD1Migrations(db, env.TEST_MIGRATIONS);
});

describe('migration 0028 on a database with data', () => {
  it('keeps every column of links (those of earlier migrations too) and adds the domain and preview columns', async () => {
    expect(await columnsOf('links')).toEqual([...oldColumns, 'domain_id', 'preview_title', 'preview_description', 'preview_image_url']);
  });

  it('keeps every row of links, value for value, and the touches that point at them', async () => {
    const rows = (await db.prepare('SELECT * FROM links ORDER BY id').all<Record<string, unknown>>()).results;
    expect(rows.map(({ domain_id, preview_title, preview_description, preview_image_url, ...rest }) => rest)).toEqual(oldRows);
    expect(rows.map((row) => [row.domain_id, row.preview_title, row.preview_description, row.preview_image_url])).toEqual([
      [null, null, null, null],
      [null, null, null, null],
      [null, null, null, null],
    ]);
    expect((await db.prepare('SELECT * FROM touches ORDER BY id').all()).results).toEqual(oldTouches);
    expect((await db.prepare('PRAGMA foreign_key_check').all()).results).toEqual([]);
  });

  it('rebuilds the indexes: one slug per domain, the own host one namespace', async () => {
    const indexes = (
      await db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'links' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all<{ name: string }>()
    ).results;
    expect(indexes.map((index) => index.name)).toEqual(['links_campaign_id', 'links_channel_id', 'links_domain', 'links_kind_id', 'links_slug_domain']);
    const insert = (id: string, domainId: string | null) =>
      db
        .prepare(
          "INSERT INTO links (id, campaign_id, slug, channel, destination, domain_id, created_at, updated_at) VALUES (?, 'cmp_A', 'flyer', 'other', 'https://x.example/', ?, 'now', 'now')",
        )
        .bind(id, domainId)
        .run();
    await expect(insert('lnk_dup', null)).rejects.toThrow(/UNIQUE constraint failed/);
    await db.prepare("INSERT INTO domains (id, hostname, created_at, updated_at) VALUES ('dom_1', 'go.brand.test', 'now', 'now')").run();
    await insert('lnk_branded', 'dom_1');
    await expect(insert('lnk_branded_dup', 'dom_1')).rejects.toThrow(/UNIQUE constraint failed/);
    await expect(insert('lnk_no_domain', 'dom_missing')).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await db.prepare("DELETE FROM links WHERE id = 'lnk_branded'").run();
  });

  it('serves the old links through the app', async () => {
    const options = { env: { DB: db }, key: null, headers: { 'User-Agent': DESKTOP_CHROME } };
    const response = await call('GET', '/flyer?qr=1', options);
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(
      /^https:\/\/shop\.example\/a\?utm_source=print&utm_medium=flyer&utm_campaign=autumn&utm_term=t&utm_content=c&tp_click=tpc_[0-9A-Z]{26}$/,
    );
    expect((await call('GET', '/gone', options)).status).toBe(410);
    const link = await json(await call('GET', '/api/v1/links/lnk_2', { env: { DB: db } }));
    expect(link).toMatchObject({ slug: 'mail', short_url: 'https://tp.test/mail', domain: null, preview: null, utm_campaign: 'override' });
  });
});
