import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DestinationGuard, blockedRange, type Resolver } from './destinationGuard.js';

const answers =
  (table: Record<string, string[]>): Resolver =>
  (host) => {
    const list = table[host];
    if (list === undefined)
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      list.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) })),
    );
  };

describe('blockedRange', () => {
  const blocked: Record<string, string[]> = {
    loopback: ['127.0.0.1', '127.255.255.254', '::1'],
    private: ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1'],
    linkLocal: ['169.254.10.10', 'fe80::1'],
    uniqueLocal: ['fc00::1', 'fd12:3456:789a::1'],
    carrierGradeNat: ['100.64.0.1', '100.127.255.254'],
    multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1'],
    unspecified: ['0.0.0.0', '::'],
    broadcast: ['255.255.255.255'],
    reserved: ['240.0.0.1', '192.0.2.10', '198.18.0.1', '2001:db8::1'],
    'cloud metadata': ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192', 'fd00:ec2::254'],
  };
  for (const [range, addresses] of Object.entries(blocked)) {
    test(`refuses ${range}`, () => {
      for (const address of addresses) assert.equal(blockedRange(address), range, address);
    });
  }

  test('IPv4 hidden in IPv6 is judged as the IPv4 it carries, or refused when it cannot be', () => {
    assert.equal(blockedRange('::ffff:127.0.0.1'), 'loopback');
    assert.equal(blockedRange('::ffff:a9fe:a9fe'), 'cloud metadata');
    assert.equal(blockedRange('::ffff:10.1.2.3'), 'private');
    assert.notEqual(blockedRange('64:ff9b::a00:1'), null, 'NAT64 of 10.0.0.1');
    assert.notEqual(blockedRange('2002:7f00:1::'), null, '6to4 of 127.0.0.1');
  });

  test('lets public unicast through', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(blockedRange(address), null, address);
    }
  });
});

describe('DestinationGuard.check', () => {
  const resolve = answers({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'internal.example.com': ['10.0.0.7'],
    'sneaky.example.com': ['93.184.216.34', '127.0.0.1'],
    'metadata.example.com': ['169.254.169.254'],
    'empty.example.com': [],
  });
  const guard = new DestinationGuard({ resolve });

  test('a public https host is approved and pinned to its address', async () => {
    const destination = await guard.check('https://hooks.example.com/aftercare');
    assert.ok(destination.ok);
    assert.deepEqual(destination.address, { address: '93.184.216.34', family: 4 });
  });

  test('hosts resolving to a private address, or to a public and a private one, are refused', async () => {
    for (const host of ['internal.example.com', 'sneaky.example.com', 'metadata.example.com']) {
      const destination = await guard.check(`https://${host}/x`);
      assert.equal(destination.ok, false, host);
      assert.equal(!destination.ok && destination.code, 'DESTINATION_BLOCKED');
      assert.equal(!destination.ok && destination.kind, 'refused');
    }
    for (const literal of [
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://0.0.0.0/',
    ]) {
      assert.equal((await guard.check(literal)).ok, false, literal);
    }
  });

  test('plain http, credentials in the URL and junk are refused; DNS failures are worth a retry', async () => {
    const http = await guard.check('http://hooks.example.com/x');
    assert.equal(!http.ok && http.code, 'NOT_HTTPS');
    const creds = await guard.check('https://user:pw@hooks.example.com/x');
    assert.equal(!creds.ok && creds.code, 'CREDENTIALS_IN_URL');
    assert.equal((await guard.check('not a url')).ok, false);
    const missing = await guard.check('https://nowhere.example.com/x');
    assert.equal(!missing.ok && missing.kind, 'unresolved');
    const empty = await guard.check('https://empty.example.com/x');
    assert.equal(!empty.ok && empty.kind, 'unresolved');
  });

  test('the allow-list lets named hosts use http and admitted ranges be private; metadata stays shut', async () => {
    const allowing = new DestinationGuard({
      resolve,
      allow: ['internal.example.com', '10.0.0.0/8', '169.254.0.0/16', '127.0.0.1'],
    });
    assert.ok((await allowing.check('http://internal.example.com/x')).ok);
    assert.ok((await allowing.check('http://127.0.0.1:8080/x')).ok);
    assert.equal((await allowing.check('http://hooks.example.com/x')).ok, false, 'http only for named hosts');
    assert.equal((await allowing.check('https://metadata.example.com/x')).ok, false);
    assert.equal((await allowing.check('https://127.0.0.2/x')).ok, false, 'only the listed address');
    const rangeOnly = new DestinationGuard({ resolve, allow: ['10.0.0.0/8'] });
    assert.ok((await rangeOnly.check('https://internal.example.com/x')).ok);
    assert.equal(
      (await rangeOnly.check('http://internal.example.com/x')).ok,
      false,
      'a range does not admit http',
    );
  });
});
