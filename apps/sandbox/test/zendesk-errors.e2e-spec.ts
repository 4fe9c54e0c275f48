/**
 * Zendesk sandbox, errors and limits as node-zendesk 6 really sees them: a 429 with Retry-After
 * RESOLVES (result instanceof Error), a 502 resolves with `{}`, listed statuses (400/401/403/404/422/
 * 503) throw, unknown endpoints are 404 InvalidEndpoint, the per-minute limit is configurable.
 */
import { sdk, startZendeskTestBed, zendeskDemoTickets, type ZendeskTestBed } from './zendesk-sandbox.helpers';

describe('Zendesk sandbox: errors and rate limits with node-zendesk', () => {
  let bed: ZendeskTestBed;
  beforeAll(async () => {
    bed = await startZendeskTestBed();
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(20) });
  });
  afterAll(() => bed.sandbox.stop());
  afterEach(() => bed.control('POST', 'reset').then(() => bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(20) })));

  it('answers the per-minute limit with 429, Retry-After and a text/plain body, which the SDK resolves', async () => {
    await bed.control('POST', 'rate-limit', { requestsPerMinute: 3, rateWindowSeconds: 30 });
    for (let i = 0; i < 3; i++) expect((await sdk<{ id: number }>(bed.client.tickets.show(1))).result.id).toBe(1);
    const limited = await sdk<unknown>(bed.client.tickets.show(1));
    expect(limited.result).toBeInstanceOf(Error);
    expect(limited.result).toMatchObject({ statusCode: 429, message: 'Zendesk rate limits 200 requests per minute' });
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.response.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    const raw = await fetch(`${bed.credentials.endpointUri}/tickets/1.json`, {
      headers: { Authorization: `Bearer ${bed.credentials.oauth.accessToken}` },
    });
    expect(raw.headers.get('content-type')).toContain('text/plain');
    expect(await raw.text()).toBe('Number of allowed API requests per minute exceeded');
    expect(raw.headers.get('x-rate-limit-remaining')).toBe('0');
    const stats = await bed.control<{ rateLimitHits: number }>('GET', 'stats');
    expect(stats.body.rateLimitHits).toBe(2);
    // List calls resolve too: getAll returns the Error as the only element.
    const list = (await bed.client.tickets.list()) as unknown[];
    expect(list[0]).toBeInstanceOf(Error);
  });

  it('injected 429 storms resolve the same way; 502 resolves with {}; 503 and 500 throw', async () => {
    await bed.control('POST', 'faults', { rateLimitNext: 2, retryAfterSeconds: 7 });
    const first = await sdk<unknown>(bed.client.tickets.show(1));
    expect(first.result).toBeInstanceOf(Error);
    expect(first.response.headers.get('retry-after')).toBe('7');
    expect((await sdk<unknown>(bed.client.tickets.show(1))).result).toBeInstanceOf(Error);
    expect((await sdk<{ id: number }>(bed.client.tickets.show(1))).result.id).toBe(1);

    await bed.control('POST', 'faults', { serverErrorNext: 1, serverErrorStatus: 502 });
    const gateway = await sdk<unknown>(bed.client.tickets.show(1));
    expect(gateway.response.status).toBe(502);
    expect(gateway.result).toEqual({});

    await bed.control('POST', 'faults', { serverErrorNext: 1, serverErrorStatus: 503 });
    await expect(bed.client.tickets.show(1)).rejects.toThrow('Zendesk Error (503): Service Unavailable');
    await bed.control('POST', 'faults', { serverErrorNext: 1, serverErrorStatus: 500 });
    await expect(bed.client.tickets.show(1)).rejects.toThrow('Zendesk Error (500): Internal Server Error - Internal Server Error');
  });

  it('answers unknown endpoints with 404 InvalidEndpoint and bad JSON with 400', async () => {
    const response = await fetch(`${bed.credentials.endpointUri}/nothing_here.json`, {
      headers: { Authorization: `Bearer ${bed.credentials.oauth.accessToken}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
    const bad = await fetch(`${bed.credentials.endpointUri}/tickets/1.json`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bed.credentials.oauth.accessToken}`, 'Content-Type': 'application/json' },
      body: '{"ticket": ',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'InvalidJSON' });
  });

  it('rejects invalid control settings with the reason and changes nothing', async () => {
    const response = await bed.control<{ problems: string[] }>('POST', 'settings', { requestsPerMinute: -1, bogus: 1 });
    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual([
      'requestsPerMinute: expected a whole number from 1 to 1000000, got -1',
      expect.stringContaining('bogus: unknown setting'),
    ]);
    expect((await bed.control<{ requestsPerMinute: number }>('GET', 'settings')).body.requestsPerMinute).toBe(700);
    const seed = await bed.control<{ error: string }>('POST', 'seed', { tickets: [{ key: 'x' }] });
    expect(seed.status).toBe(400);
    expect(seed.body.error).toContain('tickets[0].subject must be a string');
  });
});
