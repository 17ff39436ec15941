/** safeLocalPath: the one gate for redirect targets built from input. */
import { describe, expect, it } from 'vitest';
import { safeLocalPath } from '../../src/lib/safe-path';

describe('safeLocalPath', () => {
  it.each([
    ['/', '/'],
    ['/reports?from=2026-01-01&to=2026-01-31', '/reports?from=2026-01-01&to=2026-01-31'],
    ['/campaigns/cmp_1#qr', '/campaigns/cmp_1#qr'],
    ['/settings/keys', '/settings/keys'],
    ['/a/../reports', '/reports'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/caf\u00e9', '/caf%C3%A9'],
  ])('keeps the same-origin path %j as %j', (input, expected) => {
    expect(safeLocalPath(input)).toBe(expected);
  });

  it.each([
    ['//evil.example'],
    ['///evil.example'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['/\r\nSet-Cookie: x=1'],
    ['/ /evil.example'],
    ['/\u00a0/evil.example'],
    ['/\u2028/evil.example'],
    ['/\u0000'],
    ['/\u007f'],
    ['/.//evil.example'],
    ['/./\\evil.example'],
    ['https://evil.example/'],
    ['http:/evil.example'],
    ['javascript:alert(1)'],
    ['evil.example'],
    [' /reports'],
    [''],
    ['/' + 'a'.repeat(2048)],
  ])('refuses %j', (input) => {
    expect(safeLocalPath(input)).toBe('/');
  });

  it('refuses what is not a string, and takes another fallback', () => {
    expect(safeLocalPath(undefined)).toBe('/');
    expect(safeLocalPath(['/reports'])).toBe('/');
    expect(safeLocalPath('//evil.example', '/signin')).toBe('/signin');
  });
});
