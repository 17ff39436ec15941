import { describe, expect, it } from 'vitest';
import { isoToPicked, pickedToIso, pickedValue, withIsoTimes } from '../../src/ui/dates';

describe('dashboard date pickers (UTC)', () => {
  it('reads a picked date and time as UTC, and leaves anything else to the schema', () => {
    expect(pickedToIso('2026-12-01T09:30')).toBe('2026-12-01T09:30:00Z');
    expect(pickedToIso('2026-12-01T09:30:15')).toBe('2026-12-01T09:30:15Z');
    expect(pickedToIso('2026-12-01')).toBe('2026-12-01T00:00:00Z');
    expect(pickedToIso('2026-12-01T09:30:00+02:00')).toBe('2026-12-01T09:30:00+02:00');
    expect(pickedToIso('tomorrow')).toBe('tomorrow');
    expect(withIsoTimes({ starts_at: '2026-04-01T09:30', ends_at: '', name: '2026-04-01' }, ['starts_at', 'ends_at'])).toEqual({
      starts_at: '2026-04-01T09:30:00Z',
      ends_at: '',
      name: '2026-04-01',
    });
  });

  it('shows a stored time in the picker in UTC, and what was picked as it was', () => {
    expect(isoToPicked('2026-09-01T08:00:00.000Z')).toBe('2026-09-01T08:00');
    expect(isoToPicked('2026-09-01T10:00:30+02:00')).toBe('2026-09-01T08:00:30');
    expect(isoToPicked(null)).toBe('');
    expect(pickedValue('2026-09-01T08:00')).toBe('2026-09-01T08:00');
    expect(pickedValue('2026-09-01T00:00:00Z')).toBe('2026-09-01T00:00');
    expect(pickedValue('not a date')).toBe('not a date');
  });
});
