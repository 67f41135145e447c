import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { hubSpotSignedUri, signHubSpotLegacy, signHubSpotV3, verifyHubSpot } from './signature.js';

// HubSpot's own examples (developers.hubspot.com, "Validating requests", v1 and v2).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

test("legacy signatures reproduce HubSpot's documented examples", () => {
  assert.equal(
    signHubSpotLegacy(V1_BODY, SECRET, 'v1')['x-hubspot-signature'],
    '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
  );
  assert.equal(
    signHubSpotLegacy('', SECRET, 'v2', 'https://www.example.com/webhook_uri', 'GET')['x-hubspot-signature'],
    'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
  );
  const headers = {
    'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
    'x-hubspot-signature-version': 'v1',
  };
  assert.deepEqual(verifyHubSpot(Buffer.from(V1_BODY), headers, { method: 'POST', uri: 'x' }, SECRET, 0), {
    ok: true,
  });
  assert.deepEqual(
    verifyHubSpot(
      Buffer.from(V1_BODY),
      { ...headers, 'x-hubspot-signature-version': 'v9' },
      { method: 'POST', uri: 'x' },
      SECRET,
      0,
    ),
    { ok: false, reason: 'bad_signature' },
  );
});

test('v3 is the HMAC of method + decoded URI + body + timestamp, as the documentation spells it out', () => {
  const body = '[{"objectId":1}]';
  const at = 1_780_324_170_500;
  const uri = 'https://care.example/webhooks/hubspot?x=a%3Ab%2Fc%20d';
  // Written from the documentation's steps, separately from the code under test.
  const expected = createHmac('sha256', SECRET)
    .update(`POSThttps://care.example/webhooks/hubspot?x=a:b/c%20d${body}${at}`, 'utf8')
    .digest('base64');
  assert.equal(signHubSpotV3(body, SECRET, uri, at)['x-hubspot-signature-v3'], expected);
  const headers = signHubSpotV3(body, SECRET, uri, at);
  const request = { method: 'POST', uri };
  assert.deepEqual(verifyHubSpot(Buffer.from(body), headers, request, SECRET, at + 299_000), { ok: true });
  assert.deepEqual(verifyHubSpot(Buffer.from(body), headers, request, SECRET, at + 300_001), {
    ok: false,
    reason: 'stale_timestamp',
  });
  assert.deepEqual(verifyHubSpot(Buffer.from(body), headers, request, 'another-secret', at), {
    ok: false,
    reason: 'bad_signature',
  });
  assert.deepEqual(verifyHubSpot(Buffer.from(body), {}, request, SECRET, at), {
    ok: false,
    reason: 'missing_signature',
  });
});

test('only the characters HubSpot names are decoded in the URI, in either case', () => {
  assert.equal(
    hubSpotSignedUri('https://h.example/p?a=%3a%2F%3F%40%21%24%27%28%29%2A%2C%3B&b=%20%25%26'),
    "https://h.example/p?a=:/?@!$'()*,;&b=%20%25%26",
  );
});
