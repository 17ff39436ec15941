import { describe, expect, it } from 'vitest';
import { buildTrackedUrl, campaignSlug, forwardableParams, setQueryParams } from '../../src/domain/utm';

describe('buildTrackedUrl', () => {
  it('adds utm parameters in canonical order', () => {
    expect(buildTrackedUrl('https://shop.example/p', { utm_campaign: 'spring', utm_source: 'news', utm_medium: 'email' })).toBe(
      'https://shop.example/p?utm_source=news&utm_medium=email&utm_campaign=spring',
    );
  });

  it('keeps the existing query and fragment as written', () => {
    expect(buildTrackedUrl('https://shop.example/p?color=red&size=M#reviews', { utm_source: 'x' })).toBe(
      'https://shop.example/p?color=red&size=M&utm_source=x#reviews',
    );
  });

  it('keeps encoded characters of the destination untouched', () => {
    expect(buildTrackedUrl('https://shop.example/s?q=caf%C3%A9+cr%C3%A8me&tag=a%26b', { utm_medium: 'social' })).toBe(
      'https://shop.example/s?q=caf%C3%A9+cr%C3%A8me&tag=a%26b&utm_medium=social',
    );
  });

  it('encodes utm values', () => {
    expect(buildTrackedUrl('https://shop.example/', { utm_campaign: 'Sommer & Sonne/26', utm_content: 'Grüße' })).toBe(
      'https://shop.example/?utm_campaign=Sommer%20%26%20Sonne%2F26&utm_content=Gr%C3%BC%C3%9Fe',
    );
  });

  it("lets the link's utm values win over the destination's", () => {
    expect(buildTrackedUrl('https://shop.example/?utm_source=old&utm_medium=cpc&x=1', { utm_source: 'new' })).toBe(
      'https://shop.example/?utm_medium=cpc&x=1&utm_source=new',
    );
  });

  it('replaces an encoded duplicate of a utm name', () => {
    expect(buildTrackedUrl('https://shop.example/?utm%5Fsource=old', { utm_source: 'new' })).toBe('https://shop.example/?utm_source=new');
  });

  it('leaves the URL alone when the link sets no utm value', () => {
    expect(buildTrackedUrl('https://shop.example/p?a=1#top', { utm_source: null, utm_medium: '' })).toBe('https://shop.example/p?a=1#top');
  });

  it('handles a fragment with a question mark and an empty query', () => {
    expect(buildTrackedUrl('https://shop.example/p?#a?b', { utm_source: 's' })).toBe('https://shop.example/p?utm_source=s#a?b');
  });
});

describe('setQueryParams and forwardableParams', () => {
  it('appends the click id after the utm values', () => {
    expect(setQueryParams('https://shop.example/?utm_source=a#f', [['tp_click', 'tpc_1']])).toBe('https://shop.example/?utm_source=a&tp_click=tpc_1#f');
  });

  it('drops qr, rid and tp_ parameters and never overrides a utm value of the link', () => {
    const search = new URLSearchParams('qr=1&rid=9&tp_click=x&utm_source=evil&utm_term=shoes&gclid=abc');
    expect(forwardableParams(search, { utm_source: 'flyer', utm_term: null })).toEqual([
      ['utm_term', 'shoes'],
      ['gclid', 'abc'],
    ]);
  });
});

describe('campaignSlug', () => {
  it.each([
    ['Spring Sale', 'spring-sale'],
    ['Sommer-Aktion Köln 2026', 'sommer-aktion-koln-2026'],
    ['Große Straße!!', 'grosse-strasse'],
    ['***', 'campaign'],
  ])('%s → %s', (name, slug) => {
    expect(campaignSlug(name)).toBe(slug);
  });
});
