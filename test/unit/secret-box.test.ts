import { describe, expect, it } from 'vitest';
import { open, seal } from '../../src/lib/secret-box';

describe('secret box', () => {
  it('opens what it sealed, with the same secret and label', async () => {
    const sealed = await seal('worker-secret', 'integration:int_1', 'shpss_abc123');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('shpss_abc123');
    expect(await open('worker-secret', 'integration:int_1', sealed)).toBe('shpss_abc123');
  });

  it('seals the same text differently each time (fresh nonce)', async () => {
    expect(await seal('s', 'l', 'x')).not.toBe(await seal('s', 'l', 'x'));
  });

  it('refuses another secret, another label, a changed byte and a malformed value', async () => {
    const sealed = await seal('worker-secret', 'integration:int_1', 'shpss_abc123');
    expect(await open('other-secret', 'integration:int_1', sealed)).toBeNull();
    expect(await open('worker-secret', 'integration:int_2', sealed)).toBeNull();
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    expect(await open('worker-secret', 'integration:int_1', `${sealed.slice(0, -2)}${last}${sealed.at(-1)}`)).toBeNull();
    expect(await open('worker-secret', 'integration:int_1', 'not sealed')).toBeNull();
  });
});
