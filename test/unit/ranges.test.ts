import { describe, expect, it } from 'vitest';
import { previousPeriod } from '../../src/services/overview';
import { holdsToday, hrefWith, presetOf, presetRange } from '../../src/ui/ranges';

const NOW = Date.parse('2026-03-01T22:30:00Z');

describe('report ranges', () => {
  it('resolves every preset to UTC days on the day of now', () => {
    expect(presetRange('today', NOW)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(presetRange('7d', NOW)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(presetRange('30d', NOW)).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(presetRange('90d', NOW)).toEqual({ from: '2025-12-02', to: '2026-03-01' });
    expect(presetRange('this_month', NOW)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(presetRange('last_month', NOW)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetRange('last_month', Date.parse('2026-01-15T00:00:00Z'))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('names the preset a typed range equals, and whether it holds today', () => {
    expect(presetOf({ from: '2026-02-23', to: '2026-03-01' }, NOW)).toBe('7d');
    expect(presetOf({ from: '2026-02-22', to: '2026-03-01' }, NOW)).toBeUndefined();
    expect(holdsToday({ to: '2026-03-01' }, NOW)).toBe(true);
    expect(holdsToday({ to: '2026-02-28' }, NOW)).toBe(false);
  });

  it('compares a range with the same number of days just before it', () => {
    expect(previousPeriod('2026-02-23', '2026-03-01')).toEqual({ from: '2026-02-16', to: '2026-02-22' });
    expect(previousPeriod('2026-03-01', '2026-03-01')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(previousPeriod('2026-02-01', '2026-02-28')).toEqual({ from: '2026-01-04', to: '2026-01-31' });
  });

  it('builds links that keep the other parameters and drop emptied ones', () => {
    expect(hrefWith('/', { range: '7d', channel: 'email', hide: undefined }, { channel: undefined, hide: 'paid' })).toBe('/?range=7d&hide=paid');
    expect(hrefWith('/', {}, {})).toBe('/');
  });
});
