/**
 * Zendesk sandbox, tickets side, with the real node-zendesk 6 over HTTP: auth (API token, OAuth),
 * cursor-paginated listing, show / update, custom fields, groups and tags, audits as history,
 * `.json` and bare paths, rate-limit headers and the record viewer.
 */
import { sdk, startZendeskTestBed, zendeskDemoTickets, type WireTicket, type ZendeskTestBed } from './zendesk-sandbox.helpers';

describe('Zendesk sandbox: tickets with node-zendesk', () => {
  let bed: ZendeskTestBed;
  beforeAll(async () => {
    bed = await startZendeskTestBed();
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(250) });
  });
  afterAll(() => bed.sandbox.stop());

  it('authenticates API tokens and OAuth bearer tokens, and rejects bad credentials with 401', async () => {
    const me = await sdk<{ id: number; email: string; role: string }>(bed.client.users.me());
    expect(me.result).toMatchObject({ id: bed.credentials.integrationUserId, email: bed.credentials.email, role: 'admin' });
    const viaOAuth = await sdk<{ id: number }>(bed.clientFor({ oauth: true }).users.me());
    expect(viaOAuth.result.id).toBe(bed.credentials.integrationUserId);
    await expect(bed.clientFor({ token: 'wrong' }).users.me()).rejects.toThrow('Zendesk Error (401)');
    await expect(bed.clientFor({ oauth: true, token: 'nope' }).users.me()).rejects.toThrow('Zendesk Error (401)');
    const raw = await fetch(`${bed.credentials.endpointUri}/users/me.json`);
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ error: "Couldn't authenticate you" });
  });

  it('lists every ticket through cursor pagination (the SDK follows links.next with page[size]=100)', async () => {
    const seen: string[] = [];
    bed.client.tickets.on('debug::request', (e: { detail: { uri: string } }) => seen.push(e.detail.uri));
    const tickets = (await bed.client.tickets.list()) as unknown as WireTicket[];
    expect(tickets).toHaveLength(250);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(250);
    expect(seen[0]).toBe(`${bed.credentials.endpointUri}/tickets.json?page%5Bsize%5D=100`);
    expect(seen).toHaveLength(3);
    const page = (await (
      await fetch(`${bed.credentials.endpointUri}/tickets.json?page[size]=100`, { headers: { Authorization: basic(bed) } })
    ).json()) as { meta: { has_more: boolean }; links: { next: string | null } };
    expect(page.meta).toMatchObject({ has_more: true });
    expect(page.links.next).toMatch(new RegExp(`^${bed.base}/api/v2/tickets\\.json\\?page%5Bafter%5D=`));
  });

  it('serves .json and bare paths, JSON with the right content type and X-Rate-Limit headers', async () => {
    for (const path of ['/api/v2/tickets/1.json', '/api/v2/tickets/1']) {
      const response = await fetch(`${bed.base}${path}`, { headers: { Authorization: basic(bed) } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(Number(response.headers.get('x-rate-limit'))).toBe(700);
      expect(Number(response.headers.get('x-rate-limit-remaining'))).toBeLessThan(700);
    }
    const list = await fetch(`${bed.base}/api/v2/tickets.json?page[size]=2`, { headers: { Authorization: basic(bed) } });
    expect(list.headers.get('ratelimit-limit')).toBe('700');
    expect(list.headers.get('zendesk-ratelimit-tickets-index')).toMatch(/^total=100; remaining=\d+; resets=\d+$/);
  });

  it('shows a ticket in TicketObject shape with every custom field listed', async () => {
    const { result } = await sdk<WireTicket>(bed.client.tickets.show(6));
    expect(result).toMatchObject({ id: 6, status: 'open', priority: 'urgent', group_id: bed.credentials.groups.tier2 });
    expect(result.tags).toEqual(expect.arrayContaining(['escalated', 'tier_standard']));
    expect(result.custom_fields.map((f) => f.id)).toEqual([
      bed.credentials.ticketFields.category,
      bed.credentials.ticketFields.customerTier,
    ]);
    expect(result.custom_fields[1]!.value).toBe('tier_standard');
    const uncategorised = await sdk<WireTicket>(bed.client.tickets.show(4));
    expect(uncategorised.result.custom_fields[0]).toEqual({ id: bed.credentials.ticketFields.category, value: null });
    await expect(bed.client.tickets.show(999_999)).rejects.toThrow('Zendesk Error (404)');
  });

  it('keeps history: priority raised, escalated tag and the move to tier 2 are visible in the audits', async () => {
    const audits = (await bed.client.tickets.exportAudit(6)) as unknown as Array<{
      author_id: number;
      events: Array<{ field_name?: string; value?: unknown; previous_value?: unknown }>;
    }>;
    const changes = audits.flatMap((a) => a.events);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field_name: 'priority', value: 'urgent', previous_value: 'high' }),
        expect.objectContaining({ field_name: 'group_id', value: String(bed.credentials.groups.tier2) }),
        expect.objectContaining({ field_name: 'tags', value: expect.arrayContaining(['escalated']) }),
      ]),
    );
    expect(audits.some((a) => a.author_id === bed.credentials.humanAgent.userId)).toBe(true);
  });

  it('updates a ticket with custom fields and records the author (via api) in the audit and the write log', async () => {
    const created = await sdk<{ id: number; title: string }>(
      bed.client.ticketfields.create({ ticket_field: { type: 'decimal', title: 'Fieldcast Escalation Risk' } }),
    );
    const fieldId = created.result.id;
    const before = await sdk<WireTicket>(bed.client.tickets.show(2));
    const updated = await sdk<WireTicket>(
      bed.client.tickets.update(2, { ticket: { priority: 'high', custom_fields: [{ id: fieldId, value: 0.82 }] } } as never),
    );
    expect(updated.result.priority).toBe('high');
    expect(updated.result.custom_fields.find((f) => f.id === fieldId)?.value).toBe('0.82');
    expect(updated.result.generated_timestamp).toBeGreaterThan(before.result.generated_timestamp);
    const record = await bed.control<{ audits: Array<{ author_id: number; via: { channel: string } }> }>('GET', 'records/tickets/2');
    expect(record.body.audits.at(-1)).toMatchObject({ author_id: bed.credentials.integrationUserId, via: { channel: 'api' } });
    const writes = await bed.control<{ writes: Array<{ id: string; by: string; fields: Record<string, unknown> }> }>('GET', 'writes');
    expect(writes.body.writes.at(-1)).toMatchObject({
      id: '2',
      by: String(bed.credentials.integrationUserId),
      fields: { priority: 'high', [fieldId]: '0.82' },
    });
    // The same values again change nothing: no new audit, no new timestamp.
    const again = await sdk<WireTicket>(bed.client.tickets.update(2, { ticket: { priority: 'high' } } as never));
    expect(again.result.updated_at).toBe(updated.result.updated_at);
  });

  it('rejects bad updates with 422 and changes nothing', async () => {
    const before = await bed.control<{ version: number }>('GET', 'records/tickets/3');
    await expect(bed.client.tickets.update(3, { ticket: { priority: 'extreme' } } as never)).rejects.toThrow('Zendesk Error (422)');
    await expect(bed.client.tickets.update(3, { ticket: { custom_fields: [{ id: 12345, value: 'x' }] } } as never)).rejects.toThrow(
      '(422)',
    );
    await expect(bed.client.tickets.update(9, { ticket: { priority: 'low' } } as never)).rejects.toThrow('(422)'); // closed
    const after = await bed.control<{ version: number }>('GET', 'records/tickets/3');
    expect(after.body.version).toBe(before.body.version);
    const raw = await fetch(`${bed.credentials.endpointUri}/tickets/9.json`, {
      method: 'PUT',
      headers: { Authorization: basic(bed), 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticket: { priority: 'low' } }),
    });
    expect(await raw.json()).toMatchObject({
      error: 'RecordInvalid',
      details: { status: [{ description: 'Status: closed prevents ticket update' }] },
    });
  });

  it('lists ticket fields, groups and tags; only admins create ticket fields', async () => {
    const fields = (await bed.client.ticketfields.list()) as unknown as Array<{ id: number; type: string; title: string }>;
    expect(fields.map((f) => f.title)).toEqual(expect.arrayContaining(['Subject', 'Priority', 'Category', 'Customer Tier']));
    const groups = (await bed.client.groups.list()) as unknown as Array<{ id: number; name: string }>;
    expect(groups.map((g) => g.name)).toEqual(['Tier 1 Support', 'Tier 2 Support']);
    const tags = (await bed.client.tags.list()) as unknown as Array<{ name: string; count: number }>;
    expect(tags.find((t) => t.name === 'escalated')?.count).toBe(50);
    const restricted = bed.clientFor({ email: bed.credentials.restrictedAgent.email });
    await expect(restricted.ticketfields.create({ ticket_field: { type: 'text', title: 'X' } })).rejects.toThrow(
      'Zendesk Error (403): Forbidden',
    );
    await expect(bed.client.ticketfields.create({ ticket_field: { type: 'tagger', title: 'No options' } })).rejects.toThrow('(422)');
  });

  it('creates and soft-deletes tickets', async () => {
    const created = await sdk<WireTicket>(
      bed.client.tickets.create({
        ticket: { subject: 'Printer on fire', comment: { body: 'It is very colorful.' }, priority: 'urgent' },
      } as never),
    );
    expect(created.result).toMatchObject({ subject: 'Printer on fire', status: 'new', priority: 'urgent' });
    await bed.client.tickets.delete(created.result.id);
    await expect(bed.client.tickets.show(created.result.id)).rejects.toThrow('(404)');
  });

  it('refreshes OAuth tokens and expires them on request', async () => {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: bed.credentials.oauth.refreshToken,
      client_id: bed.credentials.oauth.clientId,
      client_secret: bed.credentials.oauth.clientSecret,
    });
    const token = (await (
      await fetch(bed.credentials.oauth.tokenUrl, {
        method: 'POST',
        body: form,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      })
    ).json()) as { access_token: string; refresh_token: string; token_type: string };
    expect(token.token_type).toBe('bearer');
    await expect(bed.clientFor({ oauth: true }).users.me()).rejects.toThrow('(401)'); // the old token was replaced
    expect((await sdk<{ id: number }>(bed.clientFor({ oauth: true, token: token.access_token }).users.me())).result.id).toBe(
      bed.credentials.integrationUserId,
    );
    await bed.control('POST', 'oauth/expire');
    await expect(bed.clientFor({ oauth: true, token: token.access_token }).users.me()).rejects.toThrow('(401)');
  });

  it('walks the OAuth authorization-code flow through the consent page', async () => {
    const redirect = 'http://127.0.0.1:9/callback';
    const page = await fetch(
      `${bed.credentials.oauth.authorizeUrl}?response_type=code&client_id=${bed.credentials.oauth.clientId}&redirect_uri=${encodeURIComponent(redirect)}&scope=read%20write&state=xyz`,
    );
    expect(await page.text()).toContain('wants to access your Zendesk sandbox account');
    const consent = await fetch(bed.credentials.oauth.authorizeUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: bed.credentials.oauth.clientId,
        redirect_uri: redirect,
        scope: 'read write',
        state: 'xyz',
        decision: 'allow',
      }),
    });
    const location = new URL(consent.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('xyz');
    const exchange = await fetch(bed.credentials.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: location.searchParams.get('code'),
        client_id: bed.credentials.oauth.clientId,
        client_secret: bed.credentials.oauth.clientSecret,
        redirect_uri: redirect,
      }),
    });
    const token = (await exchange.json()) as { access_token: string };
    expect((await sdk<{ id: number }>(bed.clientFor({ oauth: true, token: token.access_token }).users.me())).result.id).toBe(
      bed.credentials.integrationUserId,
    );
  });

  it('shows tickets in the record viewer and raw records in the control API', async () => {
    const viewer = await fetch(`${bed.base}/`);
    expect(viewer.status).toBe(200);
    expect(await viewer.text()).toContain('Zendesk Support');
    const list = await fetch(`${bed.base}/view/tickets?q=escalated`);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('Ticket 6: Technical question');
    const one = await fetch(`${bed.base}/view/tickets/2`);
    expect(one.status).toBe(200);
    expect(await one.text()).toContain('Fieldcast Escalation Risk'); // created through the API by the update test above
    const stats = await bed.control<{ records: { tickets: number }; calls: Record<string, number> }>('GET', 'stats');
    expect(stats.body.records.tickets).toBe(250);
    expect(stats.body.calls['GET /api/v2/tickets']).toBeGreaterThanOrEqual(3);
  });
});

function basic(bed: ZendeskTestBed): string {
  return `Basic ${Buffer.from(`${bed.credentials.email}/token:${bed.credentials.apiToken}`).toString('base64')}`;
}
