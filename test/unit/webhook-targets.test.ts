/** The SSRF guard of webhook URLs: every spelling of a private or loopback target is refused in deployment. */
import { describe, expect, it } from 'vitest';
import { webhookTargetProblem } from '../../src/domain/webhook-targets';

const refused: Array<[string, string]> = [
  ['ftp://example.com/hook', 'must be an http(s) URL'],
  ['javascript:alert(1)', 'must be an http(s) URL'],
  ['not a url', 'is not a valid URL'],
  ['http://example.com/hook', 'must use https'],
  ['https://user:pw@example.com/hook', 'must not carry credentials'],
  ['https://localhost/hook', 'must not point at a loopback host (localhost)'],
  ['https://LOCALHOST./hook', 'must not point at a loopback host (localhost.)'],
  ['https://localhost../hook', 'must not point at a loopback host (localhost..)'],
  ['https://db.internal../hook', 'must not point at a private, internal or reserved host (db.internal..)'],
  ['https://api.localhost/hook', 'must not point at a loopback host (api.localhost)'],
  ['https://127.0.0.1/hook', 'must not point at a loopback host (127.0.0.1)'],
  ['https://127.1/hook', 'must not point at a loopback host (127.0.0.1)'],
  ['https://2130706433/hook', 'must not point at a loopback host (127.0.0.1)'],
  ['https://0x7f000001/hook', 'must not point at a loopback host (127.0.0.1)'],
  ['https://0177.0.0.1/hook', 'must not point at a loopback host (127.0.0.1)'],
  ['https://[::1]/hook', 'must not point at a loopback host ([::1])'],
  ['https://[::ffff:127.0.0.1]/hook', 'must not point at a loopback host ([::ffff:7f00:1])'],
  ['https://0.0.0.0/hook', 'must not point at a private, internal or reserved host (0.0.0.0)'],
  ['https://0/hook', 'must not point at a private, internal or reserved host (0.0.0.0)'],
  ['https://[::]/hook', 'must not point at a private, internal or reserved host ([::])'],
  ['https://10.1.2.3/hook', 'must not point at a private, internal or reserved host (10.1.2.3)'],
  ['https://172.16.0.1/hook', 'must not point at a private, internal or reserved host (172.16.0.1)'],
  ['https://172.31.255.255/hook', 'must not point at a private, internal or reserved host (172.31.255.255)'],
  ['https://192.168.1.1/hook', 'must not point at a private, internal or reserved host (192.168.1.1)'],
  ['https://169.254.169.254/latest/meta-data', 'must not point at a private, internal or reserved host (169.254.169.254)'],
  ['https://0xa9fea9fe/', 'must not point at a private, internal or reserved host (169.254.169.254)'],
  ['https://100.64.0.1/hook', 'must not point at a private, internal or reserved host (100.64.0.1)'],
  ['https://100.127.255.254/hook', 'must not point at a private, internal or reserved host (100.127.255.254)'],
  ['https://224.0.0.1/hook', 'must not point at a private, internal or reserved host (224.0.0.1)'],
  ['https://255.255.255.255/hook', 'must not point at a private, internal or reserved host (255.255.255.255)'],
  ['https://[fc00::1]/hook', 'must not point at a private, internal or reserved host ([fc00::1])'],
  ['https://[fd12:3456::1]/hook', 'must not point at a private, internal or reserved host ([fd12:3456::1])'],
  ['https://[fe80::1]/hook', 'must not point at a private, internal or reserved host ([fe80::1])'],
  ['https://[ff02::1]/hook', 'must not point at a private, internal or reserved host ([ff02::1])'],
  ['https://[::ffff:10.0.0.1]/hook', 'must not point at a private, internal or reserved host ([::ffff:a00:1])'],
  ['https://[::ffff:169.254.169.254]/hook', 'must not point at a private, internal or reserved host ([::ffff:a9fe:a9fe])'],
  ['https://[64:ff9b::a9fe:a9fe]/hook', 'must not point at a private, internal or reserved host ([64:ff9b::a9fe:a9fe])'],
  ['https://[2002:c0a8:101::1]/hook', 'must not point at a private, internal or reserved host ([2002:c0a8:101::1])'],
  ['https://metadata.google.internal/computeMetadata/v1/', 'must not point at a private, internal or reserved host (metadata.google.internal)'],
  ['https://metadata/hook', 'must not point at a private, internal or reserved host (metadata)'],
  ['https://db.internal/hook', 'must not point at a private, internal or reserved host (db.internal)'],
  ['https://printer.local/hook', 'must not point at a private, internal or reserved host (printer.local)'],
  ['https://intranet/hook', 'must not point at a private, internal or reserved host (intranet)'],
];

describe('webhook target guard', () => {
  it.each(refused)('refuses %s in deployment', (url, problem) => {
    expect(webhookTargetProblem(url, false)).toBe(problem);
  });

  it.each([
    'https://crm.example.com/hooks/touchpoint',
    'https://93.184.215.14:8443/hook',
    'https://172.32.0.1/hook',
    'https://100.128.0.1/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://[::ffff:93.184.215.14]/hook',
  ])('accepts the public target %s', (url) => {
    expect(webhookTargetProblem(url, false)).toBeNull();
  });

  it('admits http and loopback targets, and nothing private, when loopback is allowed (npm start)', () => {
    expect(
      ['http://localhost:8793/hook', 'http://127.0.0.1:8793/hook', 'http://[::1]:8793/', 'http://app.localhost/', 'http://shop.example/hook'].map((url) =>
        webhookTargetProblem(url, true),
      ),
    ).toEqual([null, null, null, null, null]);
    expect(webhookTargetProblem('http://10.0.0.1/hook', true)).toBe('must not point at a private, internal or reserved host (10.0.0.1)');
    expect(webhookTargetProblem('http://169.254.169.254/', true)).toBe('must not point at a private, internal or reserved host (169.254.169.254)');
  });
});
