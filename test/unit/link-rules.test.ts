import { describe, expect, it } from 'vitest';
import { destinationProblem, generateSlug, SLUG_ALPHABET, SLUG_LENGTH, slugProblem } from '../../src/domain/links';

describe('slugs', () => {
  it('generates 7 characters without look-alikes', () => {
    for (let i = 0; i < 500; i++) {
      const slug = generateSlug();
      expect(slug).toHaveLength(SLUG_LENGTH);
      expect(slug).toMatch(/^[23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ]{7}$/);
    }
    expect(SLUG_ALPHABET).not.toMatch(/[01lIO]/);
  });

  it.each(['abc', 'spring_sale-2026', 'A'.repeat(64)])('accepts %s', (slug) => {
    expect(slugProblem(slug)).toBeNull();
  });

  it.each([
    ['ab', 'slug must be 3 to 64 characters of A-Z, a-z, 0-9, _ and -'],
    ['A'.repeat(65), 'slug must be 3 to 64 characters of A-Z, a-z, 0-9, _ and -'],
    ['has space', 'slug must be 3 to 64 characters of A-Z, a-z, 0-9, _ and -'],
    ['ümlaut', 'slug must be 3 to 64 characters of A-Z, a-z, 0-9, _ and -'],
    ['api', 'slug "api" is reserved'],
    ['Redeem', 'slug "Redeem" is reserved'],
    ['healthz', 'slug "healthz" is reserved'],
    ['dashboard', 'slug "dashboard" is reserved'],
    ['assets', 'slug "assets" is reserved'],
  ])('refuses %s', (slug, message) => {
    expect(slugProblem(slug)).toBe(message);
  });
});

describe('destinations', () => {
  it.each(['https://shop.example/p?a=1#x', 'http://localhost:3000/landing', 'https://xn--mnchen-3ya.de/'])('accepts %s', (url) => {
    expect(destinationProblem(url)).toBeNull();
  });

  it.each([
    ['javascript:alert(1)', 'must be an http or https URL'],
    ['data:text/html,hi', 'must be an http or https URL'],
    ['ftp://files.example/x', 'must be an http or https URL'],
    ['https://user:pw@shop.example/', 'must not contain credentials'],
    ['/relative/path', 'must be an absolute URL'],
    ['shop.example', 'must be an absolute URL'],
    ['https://shop.example/a b', 'must not contain spaces or control characters'],
    [`https://shop.example/${'a'.repeat(2030)}`, 'must be at most 2048 characters'],
  ])('refuses %s', (url, message) => {
    expect(destinationProblem(url)).toBe(message);
  });
});
