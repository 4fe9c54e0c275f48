/**
 * The scoring API over real HTTP on a real PostgreSQL: API keys (missing, wrong, revoked, out of
 * scope, rate limited), validation errors with JSON pointers, record and size limits, model choice
 * (connection champion, instance champion, none), metadata on every answer, the prediction cache,
 * the deadline, the artifact export, batched last-used times and the OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import { ApiKeyEntity } from '@fieldcast/database';
import { loadArtifact, predict } from '@fieldcast/scoring';
import { ApiKeyUsageTracker } from '../src/scoring-api/api-key-usage.tracker';
import { createApiKey, createConnection, startApiBed, storeLeadChampion, type ApiBed } from './scoring-webhooks.e2e-helpers';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ pointer: string; detail: string }>;
}

describe('scoring API (e2e)', () => {
  let bed: ApiBed;
  let key: string;
  let instanceModelId: string;
  let connectionModelId: string;
  let connectionId: string;

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${bed.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const lead = (
    id: string,
    fields: Record<string, unknown> = { LeadSource: 'Webinar', Industry: 'Software', NumberOfEmployees: 1500 },
  ) => ({ id, fields });

  beforeAll(async () => {
    bed = await startApiBed();
    key = (await createApiKey(bed.platform)).key;
    instanceModelId = await storeLeadChampion(bed.platform, { version: 1, seed: 1 });
    connectionId = (await createConnection(bed.platform, { vendor: 'salesforce' })).id;
    connectionModelId = await storeLeadChampion(bed.platform, { connectionId, version: 3, seed: 7 });
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  }, 30_000);

  describe('API keys', () => {
    it('refuses a missing, malformed, unknown or revoked key with 401 problem+json', async () => {
      const revoked = (await createApiKey(bed.platform, { revoked: true })).key;
      for (const authorization of [undefined, 'Basic abc', 'Bearer nope', `Bearer fck_${'x'.repeat(43)}`, `Bearer ${revoked}`]) {
        const response = await fetch(`${bed.baseUrl}/v1/predict/lead-score`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ records: [lead('a')] }),
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const body = (await response.json()) as Problem;
        expect(body).toMatchObject({ status: 401, title: 'Unauthorized' });
        expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
      }
      const body = (await (
        await fetch(`${bed.baseUrl}/v1/predict/lead-score`, { method: 'POST', headers: { authorization: `Bearer ${revoked}` } })
      ).json()) as Problem;
      expect(body.detail).toMatch(/revoked/);
    });

    it('refuses a task outside the key scopes with 403, before looking at the body', async () => {
      const ticketsOnly = (await createApiKey(bed.platform, { scopes: ['ticket-category'] })).key;
      const response = await post('/v1/predict/lead-score', 'not even json', {
        authorization: `Bearer ${ticketsOnly}`,
        'content-type': 'text/plain',
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ status: 403, requiredScope: 'lead-score' });
    });

    it('rate limits per key with 429 + Retry-After, other keys unaffected', async () => {
      const limited = (await createApiKey(bed.platform, { rateLimitPerMinute: 3 })).key;
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await post('/v1/predict/lead-score', { records: [lead('a')] }, { authorization: `Bearer ${limited}` });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
      expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(20);
      expect(last!.body).toMatchObject({ status: 429, retryAfterSeconds: Number(last!.headers.get('retry-after')) });
      expect((await post('/v1/predict/lead-score', { records: [lead('a')] })).status).toBe(200);
    });

    it('records last-used times in batches, not per request', async () => {
      const fresh = await createApiKey(bed.platform);
      const repo = bed.platform.dataSource.getRepository(ApiKeyEntity);
      for (let i = 0; i < 3; i++)
        expect((await post('/v1/predict/lead-score', { records: [lead(`u${i}`)] }, { authorization: `Bearer ${fresh.key}` })).status).toBe(
          200,
        );
      expect((await repo.findOneByOrFail({ id: fresh.id })).lastUsedAt).toBeNull();
      await bed.app.get(ApiKeyUsageTracker).flush();
      const lastUsed = (await repo.findOneByOrFail({ id: fresh.id })).lastUsedAt;
      expect(lastUsed).toBeInstanceOf(Date);
      expect(Date.now() - lastUsed!.getTime()).toBeLessThan(10_000);
    });
  });

  describe('validation', () => {
    it('names the JSON pointer and what was expected', async () => {
      const response = await post('/v1/predict/lead-score', {
        records: [
          lead('ok'),
          { id: 'b', fields: 'nope' },
          { fields: {} },
          { id: 7, fields: {} },
          { id: 'e', fields: { nested: { a: 1 } } },
        ],
        extra: true,
      });
      expect(response.status).toBe(400);
      const errors = (response.body as unknown as Problem).errors!;
      const byPointer = Object.fromEntries(errors.map((e) => [e.pointer, e.detail]));
      expect(byPointer['/records/1/fields']).toMatch(/expected an object of field name → value, got a string/);
      expect(byPointer['/records/2/id']).toMatch(/"id" is required/);
      expect(byPointer['/records/3/id']).toMatch(/expected the record id as a string, got a number/);
      expect(byPointer['/records/4/fields/nested']).toMatch(/expected a string, number, boolean, null/);
      expect(byPointer['']).toMatch(/unknown member.*"extra"/);
    });

    it('answers malformed JSON, a wrong media type and an empty batch with 4xx problems', async () => {
      const malformed = await post('/v1/predict/lead-score', '{"records": [');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ status: 400 });
      expect((await post('/v1/predict/lead-score', 'records=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
      const empty = await post('/v1/predict/lead-score', { records: [] });
      expect(empty.status).toBe(400);
      expect((empty.body as unknown as Problem).errors).toEqual([{ pointer: '/records', detail: 'expected at least 1 record' }]);
      expect((await post('/v1/predict/lead-score', { records: [lead('a')], connectionId: 'abc' })).body).toMatchObject({
        status: 400,
        errors: [{ pointer: '/connectionId', detail: expect.stringMatching(/UUID/) }],
      });
    });

    it('refuses 1,001 records with 413 and a pointer, and a body over 1 MB with 413', async () => {
      const records = Array.from({ length: 1001 }, (_, i) => ({ id: `r${i}`, fields: { LeadSource: 'Web' } }));
      const tooMany = await post('/v1/predict/lead-score', { records });
      expect(tooMany.status).toBe(413);
      expect((tooMany.body as unknown as Problem).errors).toEqual([
        { pointer: '/records', detail: 'expected 1 to 1,000 records, got 1,001' },
      ]);
      const huge = await post('/v1/predict/lead-score', { records: [{ id: 'a', fields: { Description: 'x'.repeat(1_100_000) } }] });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ status: 413 });
    });

    it('answers duplicate ids and an unknown connection with 422', async () => {
      const duplicate = await post('/v1/predict/lead-score', { records: [lead('a'), lead('b'), lead('a')] });
      expect(duplicate.status).toBe(422);
      expect((duplicate.body as unknown as Problem).errors).toEqual([
        { pointer: '/records/2/id', detail: expect.stringMatching(/duplicate id "a", already used by \/records\/0\/id/) },
      ]);
      const unknown = await post('/v1/predict/lead-score', { records: [lead('a')], connectionId: randomUUID() });
      expect(unknown.status).toBe(422);
      expect((unknown.body as unknown as Problem).errors![0]!.pointer).toBe('/connectionId');
    });
  });

  describe('predictions', () => {
    it('answers every record with prediction, confidence, tier, factors and model metadata', async () => {
      const response = await post('/v1/predict/lead-score', {
        records: [lead('hot'), lead('cold', { LeadSource: 'Cold Call', Industry: 'Retail', NumberOfEmployees: 20 }), lead('empty', {})],
      });
      expect(response.status).toBe(200);
      const predictions = response.body['predictions'] as Array<Record<string, unknown>>;
      expect(predictions.map((p) => p['id'])).toEqual(['hot', 'cold', 'empty']);
      const [hot, cold, empty] = predictions as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(hot).toMatchObject({
        abstained: false,
        confidenceLevel: expect.stringMatching(/high|medium|low/),
        tier: expect.stringMatching(/^[ABCD]$/),
      });
      expect(hot.prediction).toBeGreaterThan(cold.prediction);
      expect(hot.score).toBeGreaterThanOrEqual(1);
      expect(hot.factors.length).toBeGreaterThan(0);
      expect(hot.factors[0]).toMatchObject({
        field: expect.any(String),
        contribution: expect.any(Number),
        reason: expect.stringMatching(/^[+−-] /),
      });
      expect(hot.model).toMatchObject({
        artifactId: instanceModelId,
        source: 'instance',
        modelId: 'lead-e2e-instance',
        version: '1',
        trainedAt: expect.any(String),
        trainingSize: 600,
        metrics: expect.objectContaining({ auc: expect.any(Number) }),
      });
      expect(empty).toMatchObject({ abstained: true, reason: expect.any(String), model: { artifactId: instanceModelId } });
    });

    it("uses the connection's champion when connectionId is given", async () => {
      const response = await post('/v1/predict/lead-score', { records: [lead('a')], connectionId });
      expect(response.status).toBe(200);
      expect(response.body['model']).toMatchObject({ artifactId: connectionModelId, source: 'connection', version: '3' });
      const other = (await createConnection(bed.platform, { vendor: 'hubspot' })).id;
      const fallback = await post('/v1/predict/lead-score', { records: [lead('a')], connectionId: other });
      expect(fallback.body['model']).toMatchObject({ artifactId: instanceModelId, source: 'instance' });
    });

    it('answers identical inputs on the same model from the cache, with the identical answer', async () => {
      const fields = { LeadSource: 'Partner', Industry: 'Banking', NumberOfEmployees: 777 };
      const first = await post('/v1/predict/lead-score', { records: [{ id: 'x1', fields }] });
      const second = await post('/v1/predict/lead-score', {
        records: [
          { id: 'x2', fields: { NumberOfEmployees: 777, Industry: 'Banking', LeadSource: 'Partner' } },
          lead('new-one', { LeadSource: 'Web', NumberOfEmployees: 31337 }),
        ],
      });
      expect(first.body['cache']).toEqual({ hits: 0, misses: 1 });
      expect(second.body['cache']).toEqual({ hits: 1, misses: 1 });
      const [a] = first.body['predictions'] as Array<Record<string, unknown>>;
      const [b] = second.body['predictions'] as Array<Record<string, unknown>>;
      expect({ ...b, id: 'x1' }).toEqual(a);
    });

    it('answers 503 + Retry-After when the request misses its deadline', async () => {
      const records = Array.from({ length: 1000 }, (_, i) => lead(`d${i}`, { LeadSource: 'Web', NumberOfEmployees: 100_000 + i }));
      const response = await post('/v1/predict/lead-score', { records }, { 'fieldcast-deadline-ms': '1' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body).toMatchObject({ status: 503, detail: expect.stringMatching(/deadline/) });
    });

    it('answers a task without a trained champion with the shipped default (no model at all: 503, see model-resolver.integration-spec)', async () => {
      const response = await post('/v1/predict/escalation-risk', {
        records: [{ id: 't1', fields: { priority: 'urgent', description: 'Production is down, customers cannot log in' } }],
      });
      expect(response.status).toBe(200);
      expect(response.body['model']).toMatchObject({ source: 'shipped', artifactId: null, task: 'escalation-risk' });
      const [prediction] = response.body['predictions'] as Array<Record<string, unknown>>;
      expect(prediction).toMatchObject({ id: 't1', model: { source: 'shipped' } });
    });
  });

  describe('models', () => {
    it('describes the model that would answer and exports its artifact for in-process use', async () => {
      const auth = { authorization: `Bearer ${key}` };
      const card = await fetch(`${bed.baseUrl}/v1/models/lead-score?connectionId=${connectionId}`, { headers: auth });
      expect([card.status, card.status === 200 ? '' : await card.clone().text()]).toEqual([200, '']);
      expect(await card.json()).toMatchObject({
        artifactId: connectionModelId,
        version: '3',
        source: 'connection',
        fields: expect.arrayContaining([{ name: 'LeadSource', type: 'categorical', label: 'Lead source' }]),
      });
      const exported = await fetch(`${bed.baseUrl}/v1/models/lead-score/artifact`, { headers: auth });
      expect(exported.status).toBe(200);
      const artifact = await exported.json();
      const model = loadArtifact(artifact);
      const [local] = predict(model, [lead('embedded')]);
      const remote = await post('/v1/predict/lead-score', { records: [lead('embedded')] });
      const [fromApi] = remote.body['predictions'] as Array<Record<string, unknown>>;
      expect((local as { prediction: number }).prediction).toBeCloseTo(fromApi!['prediction'] as number, 10);
      expect((await fetch(`${bed.baseUrl}/v1/models/churn`, { headers: auth })).status).toBe(404);
      expect((await fetch(`${bed.baseUrl}/v1/models/lead-score`)).status).toBe(401);
    });
  });

  it('documents every error status with examples in the OpenAPI document', async () => {
    const document = (await (await fetch(`${bed.baseUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { examples?: object }> }> }>>;
    };
    for (const task of ['lead-score', 'ticket-category', 'escalation-risk']) {
      const responses = document.paths[`/v1/predict/${task}`]!['post']!.responses;
      for (const status of ['200', '400', '401', '403', '413', '422', '429', '503']) expect(responses[status]).toBeDefined();
      for (const status of ['400', '401', '403', '413', '422', '429', '503']) {
        expect(Object.keys(responses[status]!.content!['application/problem+json']!.examples!).length).toBeGreaterThan(0);
      }
    }
  });
});
