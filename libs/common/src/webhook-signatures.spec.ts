import {
  computeHubSpotSignatureV1,
  computeHubSpotSignatureV2,
  computeHubSpotSignatureV3,
  computeZendeskSignature,
  decodeHubSpotV3Uri,
  timingSafeEqualText,
  verifyHubSpotSignature,
  verifyZendeskSignature,
} from './webhook-signatures';

// Test vectors from vendor-apis.md §2.5 (HubSpot) and §3.5 (Zendesk).
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const URI = 'https://www.example.com/webhook_uri';
const EXAMPLE_BODY = '{"example_field":"example_value"}';

describe('HubSpot signatures', () => {
  it('reproduces the v1 vector (official doc and SDK test)', () => {
    expect(computeHubSpotSignatureV1(SECRET, V1_BODY)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
    expect(computeHubSpotSignatureV1(SECRET, Buffer.from(V1_BODY))).toBe(
      '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
    );
  });

  it('reproduces the v2 GET (empty body) and POST vectors', () => {
    expect(computeHubSpotSignatureV2(SECRET, 'GET', URI, '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
    expect(computeHubSpotSignatureV2(SECRET, 'POST', URI, EXAMPLE_BODY)).toBe(
      '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
    );
  });

  it('reproduces both v3 vectors', () => {
    expect(computeHubSpotSignatureV3(SECRET, 'POST', URI, EXAMPLE_BODY, '1700000000000')).toBe(
      'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=',
    );
    expect(computeHubSpotSignatureV3(SECRET, 'POST', URI, Buffer.from(V1_BODY), 1700000000000)).toBe(
      '/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=',
    );
  });

  it('verifies v3 inside the 5-minute window and rejects stale, future, forged and missing ones with a reason', () => {
    const signature = 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=';
    const base = {
      version: 'v3' as const,
      clientSecret: SECRET,
      method: 'POST',
      uri: URI,
      rawBody: EXAMPLE_BODY,
      timestamp: '1700000000000',
    };
    expect(verifyHubSpotSignature({ ...base, signature, now: 1700000000000 + 299_000 })).toEqual({ ok: true });
    expect(verifyHubSpotSignature({ ...base, signature, now: 1700000000000 + 301_000 })).toEqual({
      ok: false,
      reason: expect.stringContaining('stale'),
    });
    expect(verifyHubSpotSignature({ ...base, signature, now: 1700000000000 - 301_000 })).toEqual({
      ok: false,
      reason: expect.stringContaining('future'),
    });
    expect(verifyHubSpotSignature({ ...base, signature: signature.replace('r', 's'), now: 1700000000000 })).toEqual({
      ok: false,
      reason: 'v3 signature mismatch',
    });
    expect(verifyHubSpotSignature({ ...base, rawBody: EXAMPLE_BODY + ' ', signature, now: 1700000000000 }).ok).toBe(false);
    expect(verifyHubSpotSignature({ ...base, signature: undefined, now: 1700000000000 })).toEqual({
      ok: false,
      reason: 'missing X-HubSpot-Signature-v3 header',
    });
    expect(verifyHubSpotSignature({ ...base, timestamp: undefined, signature, now: 1700000000000 }).ok).toBe(false);
  });

  it('accepts a v3 URI whose escapes HubSpot decoded before signing', () => {
    const encoded = 'https://hooks.example.com/webhooks/hubspot/c1?next=%2Fdone%3Fa%3D1&at=%40me&keep=%20';
    const decoded = decodeHubSpotV3Uri(encoded);
    expect(decoded).toBe('https://hooks.example.com/webhooks/hubspot/c1?next=/done?a%3D1&at=@me&keep=%20');
    const signature = computeHubSpotSignatureV3(SECRET, 'POST', decoded, EXAMPLE_BODY, '1700000000000');
    expect(
      verifyHubSpotSignature({
        version: 'v3',
        clientSecret: SECRET,
        method: 'POST',
        uri: encoded,
        rawBody: EXAMPLE_BODY,
        signature,
        timestamp: '1700000000000',
        now: 1700000000000,
      }),
    ).toEqual({ ok: true });
  });

  it('verifies v1 and v2, and v2 requires the URI', () => {
    expect(
      verifyHubSpotSignature({
        version: 'v1',
        clientSecret: SECRET,
        method: 'POST',
        rawBody: V1_BODY,
        signature: '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
      }),
    ).toEqual({ ok: true });
    expect(
      verifyHubSpotSignature({
        version: 'v1',
        clientSecret: 'other',
        method: 'POST',
        rawBody: V1_BODY,
        signature: '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
      }).ok,
    ).toBe(false);
    const v2 = '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900';
    expect(
      verifyHubSpotSignature({ version: 'v2', clientSecret: SECRET, method: 'POST', uri: URI, rawBody: EXAMPLE_BODY, signature: v2 }),
    ).toEqual({ ok: true });
    expect(verifyHubSpotSignature({ version: 'v2', clientSecret: SECRET, method: 'POST', rawBody: EXAMPLE_BODY, signature: v2 }).ok).toBe(
      false,
    );
  });
});

describe('Zendesk signatures', () => {
  const secret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
  const timestamp = '2021-03-25T05:09:27Z';
  const body = '{"event":"ticket.updated","id":123}';
  const vector = 'S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM=';

  it('reproduces the vendor-apis.md vector (secret used as given, not base64-decoded)', () => {
    expect(computeZendeskSignature(secret, timestamp, body)).toBe(vector);
    expect(computeZendeskSignature(secret, timestamp, Buffer.from(body))).toBe(vector);
  });

  it('verifies inside the freshness window and rejects stale, malformed and forged requests', () => {
    const now = Date.parse(timestamp) + 60_000;
    expect(verifyZendeskSignature({ signingSecret: secret, rawBody: body, signature: vector, timestamp, now })).toEqual({ ok: true });
    expect(verifyZendeskSignature({ signingSecret: secret, rawBody: body, signature: vector, timestamp, now: now + 600_000 }).ok).toBe(
      false,
    );
    expect(verifyZendeskSignature({ signingSecret: secret, rawBody: body, signature: vector, timestamp: 'yesterday', now })).toEqual({
      ok: false,
      reason: expect.stringContaining('not a date'),
    });
    expect(verifyZendeskSignature({ signingSecret: secret, rawBody: body + '\n', signature: vector, timestamp, now })).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
  });
});

describe('timingSafeEqualText', () => {
  it('compares equal, different and different-length strings', () => {
    expect(timingSafeEqualText('abc', 'abc')).toBe(true);
    expect(timingSafeEqualText('abc', 'abd')).toBe(false);
    expect(timingSafeEqualText('abc', 'abcd')).toBe(false);
  });
});
