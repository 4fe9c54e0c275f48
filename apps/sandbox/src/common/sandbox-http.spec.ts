import { SandboxRouter, SandboxServer, type VendorBehaviour } from './sandbox-http';

const vendor: VendorBehaviour = {
  name: 'test',
  rateLimited: (_req, retryAfter) => ({ status: 429, headers: { 'Retry-After': String(retryAfter) }, body: 'slow down' }),
  serverError: (_req, status) => ({ status, body: { error: 'boom' } }),
  outage: () => ({ status: 503, body: { error: 'down' } }),
  notFound: (req) => ({ status: 404, body: { error: `no route ${req.method} ${req.path}` } }),
};

describe('SandboxRouter', () => {
  const router = new SandboxRouter()
    .add('GET', '/api/v2/tickets/:id{.json}', (req) => ({ status: 200, body: { id: req.params.id } }))
    .add('GET', '/services/data/:version/query/:locator', (req) => ({ status: 200, body: req.params }));

  it('matches templates with and without .json and extracts params', () => {
    expect(router.match('GET', '/api/v2/tickets/42.json')?.params).toEqual({ id: '42' });
    expect(router.match('GET', '/api/v2/tickets/42')?.params).toEqual({ id: '42' });
    expect(router.match('GET', '/services/data/v59.0/query/01gX-2000')?.params).toEqual({ version: 'v59.0', locator: '01gX-2000' });
    expect(router.match('POST', '/api/v2/tickets/42')).toBeUndefined();
    expect(router.match('GET', '/api/v2/tickets/42/extra')).toBeUndefined();
  });
});

describe('SandboxServer', () => {
  const router = new SandboxRouter().add('GET', '/things/:id', (req) => ({ status: 200, body: { id: req.params.id } }));
  const server = new SandboxServer({ vendor, router, control: new SandboxRouter() });
  let base = '';
  beforeAll(async () => {
    base = await server.listen(0);
  });
  afterAll(() => server.close());

  it('serves routes, counts calls per template and injects deterministic faults', async () => {
    expect(await (await fetch(`${base}/things/7`)).json()).toEqual({ id: '7' });
    const bad = await fetch(`${base}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ rateLimitRate: 3 }) });
    expect(bad.status).toBe(400);
    await fetch(`${base}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ rateLimitNext: 2, retryAfterSeconds: 3 }) });
    const limited = await fetch(`${base}/things/8`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await fetch(`${base}/things/9`)).status).toBe(429);
    expect((await fetch(`${base}/things/10`)).status).toBe(200);
    const stats = (await (await fetch(`${base}/__sandbox/stats`)).json()) as { calls: Record<string, number>; rateLimitHits: number };
    expect(stats.calls['GET /things/:id']).toBe(4);
    expect(stats.rateLimitHits).toBe(2);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
