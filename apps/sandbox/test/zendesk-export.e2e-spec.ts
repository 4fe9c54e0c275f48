/**
 * Zendesk sandbox, incremental cursor export with the real node-zendesk: the SDK's page[size] and
 * cursor=undefined quirks, end_of_stream, resuming from after_cursor, ties on one timestamp across
 * pages, deleted tickets, the one-minute buffer, and the time-based export stopping after one page.
 */
import { sdk, startZendeskTestBed, zendeskDemoTickets, type WireTicket, type ZendeskTestBed } from './zendesk-sandbox.helpers';

interface ExportPage {
  tickets: WireTicket[];
  after_cursor: string;
  after_url: string;
  before_cursor: string | null;
  end_of_stream: boolean;
}

describe('Zendesk sandbox: incremental ticket export with node-zendesk', () => {
  let bed: ZendeskTestBed;
  const uris: string[] = [];
  beforeAll(async () => {
    bed = await startZendeskTestBed();
    // Everything shares one updated_at: only a position cursor can page through ties without loss.
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(2500, { sameUpdatedAt: true }) });
    await bed.control('POST', 'settings', { exportBufferSeconds: 0, exportRequestsPerMinute: 1000 });
    bed.client.ticketexport.on('debug::request', (e: { detail: { uri: string } }) => uris.push(e.detail.uri));
  });
  afterAll(() => bed.sandbox.stop());

  async function drain(start: number | undefined, cursor: string | undefined): Promise<{ pages: ExportPage[]; last: ExportPage }> {
    const pages: ExportPage[] = [];
    let page = (await sdk<ExportPage>(bed.client.ticketexport.exportCursor(start as number, cursor as string))).result;
    pages.push(page);
    while (!page.end_of_stream) {
      page = (await sdk<ExportPage>(bed.client.ticketexport.exportCursor(undefined as unknown as number, page.after_cursor))).result;
      pages.push(page);
    }
    return { pages, last: page };
  }

  it('exports every ticket once in pages of 1000 despite the SDK appending page[size]=100 and cursor=undefined', async () => {
    const { pages } = await drain(0, undefined);
    expect(uris[0]).toBe(`${bed.credentials.endpointUri}/incremental/tickets/cursor.json?start_time=0&cursor=undefined&page%5Bsize%5D=100`);
    expect(pages.map((p) => p.tickets.length)).toEqual([1000, 1000, 500]);
    const ids = pages.flatMap((p) => p.tickets.map((t) => t.id));
    expect(new Set(ids).size).toBe(2500);
    expect(pages.map((p) => p.end_of_stream)).toEqual([false, false, true]);
    expect(pages[0]!.after_url).toBe(
      `${bed.base}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(pages[0]!.after_cursor)}`,
    );
    expect(new Set(pages.flatMap((p) => p.tickets.map((t) => t.updated_at))).size).toBe(1);
  });

  it('resumes from the stored after_cursor: only changes since then, deletes with status "deleted"', async () => {
    const { last } = await drain(0, undefined);
    const empty = (await sdk<ExportPage>(bed.client.ticketexport.exportCursor(undefined as unknown as number, last.after_cursor))).result;
    expect(empty).toMatchObject({ tickets: [], end_of_stream: true });
    await bed.control('POST', 'tickets/touch', { ids: [5, 6, 7], changes: { subject: 'Changed by an agent' } });
    await bed.client.tickets.delete(8);
    await bed.client.tickets.update(5, { ticket: { status: 'pending' } } as never);
    const { pages } = await drain(undefined, empty.after_cursor);
    const tickets = pages.flatMap((p) => p.tickets);
    expect(tickets.map((t) => [t.id, t.status])).toEqual([
      [6, 'open'],
      [7, 'open'],
      [8, 'deleted'],
      [5, 'pending'],
    ]);
  });

  it('honours per_page, rejects bad cursors and too-recent start times, and holds back the last minute by default', async () => {
    const raw = (query: string) =>
      fetch(`${bed.credentials.endpointUri}/incremental/tickets/cursor.json?${query}`, {
        headers: { Authorization: `Basic ${Buffer.from(`${bed.credentials.email}/token:${bed.credentials.apiToken}`).toString('base64')}` },
      });
    const small = (await (await raw('start_time=0&per_page=10')).json()) as ExportPage;
    expect(small.tickets).toHaveLength(10);
    const bad = await raw('cursor=bm90LWEtY3Vyc29y');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'InvalidPaginationParameter' });
    expect((await raw('')).status).toBe(400);
    const { last } = await drain(0, undefined);
    await bed.control('POST', 'settings', { exportBufferSeconds: 60 });
    const recent = await raw(`start_time=${Math.floor(Date.now() / 1000) - 10}`);
    expect(recent.status).toBe(400);
    expect(await recent.json()).toMatchObject({ error: 'InvalidValue', description: expect.stringContaining('Too recent start_time') });
    // A change made now is not exported until it is older than the buffer.
    await bed.control('POST', 'tickets/touch', { ids: [10], changes: { subject: 'Held back for a minute' } });
    const held = (await sdk<ExportPage>(bed.client.ticketexport.exportCursor(undefined as unknown as number, last.after_cursor))).result;
    expect(held.tickets).toEqual([]);
    await bed.control('POST', 'settings', { exportBufferSeconds: 0 });
    const released = (await sdk<ExportPage>(bed.client.ticketexport.exportCursor(undefined as unknown as number, last.after_cursor)))
      .result;
    expect(released.tickets.map((t) => t.id)).toEqual([10]);
  });

  it('limits incremental exports to 10 per minute by default, answered with a resolved 429', async () => {
    await bed.control('POST', 'settings', { exportRequestsPerMinute: 10 });
    bed.sandbox.limiter.reset();
    const results: unknown[] = [];
    for (let i = 0; i < 11; i++)
      results.push((await sdk<unknown>(bed.client.ticketexport.exportCursor(0, undefined as unknown as string))).result);
    expect(results.slice(0, 10).every((r) => !(r instanceof Error))).toBe(true);
    expect(results[10]).toBeInstanceOf(Error);
    expect((results[10] as Error & { statusCode: number }).statusCode).toBe(429);
    await bed.control('POST', 'settings', { exportRequestsPerMinute: 1000 });
    bed.sandbox.limiter.reset();
  });

  it('lists tickets created through the API once, even when the create carries no-op attributes', async () => {
    const { last } = await drain(0, undefined);
    const created = await sdk<WireTicket>(
      bed.client.tickets.create({ ticket: { subject: 'Created', comment: { body: 'Body' }, priority: null } } as never),
    );
    const after = (await sdk<ExportPage>(bed.client.ticketexport.exportCursor(undefined as unknown as number, last.after_cursor))).result;
    expect(after.tickets.map((t) => t.id)).toEqual([created.result.id]);
    const { pages } = await drain(0, undefined);
    const ids = pages.flatMap((p) => p.tickets.map((t) => t.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(2501);
  });

  it('allows incremental exports for admins only', async () => {
    const agent = bed.clientFor({ email: bed.credentials.humanAgent.email });
    await expect(agent.ticketexport.exportCursor(0, undefined as unknown as string)).rejects.toThrow('Zendesk Error (403): Forbidden');
  });

  it('serves the time-based export, which node-zendesk stops reading after the first page', async () => {
    const tickets = (await bed.client.tickets.incremental(0 as unknown as string)) as unknown as WireTicket[];
    expect(tickets).toHaveLength(1000);
  });
});
