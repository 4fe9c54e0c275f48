/**
 * Zendesk sandbox, bulk updates with the real node-zendesk: update_many with ?ids= and with
 * per-ticket bodies, the 100-ticket maximum, job statuses moving queued → working → completed,
 * per-ticket errors in the results, watch() and show_many.
 */
import { sdk, startZendeskTestBed, zendeskDemoTickets, type WireTicket, type ZendeskTestBed } from './zendesk-sandbox.helpers';

interface JobStatus {
  id: string;
  job_type: string;
  url: string;
  total: number;
  progress: number | null;
  status: string;
  message: string | null;
  results: Array<{ action: string; id: number; success: boolean; status?: string; error?: string; details?: string }> | null;
}

describe('Zendesk sandbox: update_many and job statuses with node-zendesk', () => {
  let bed: ZendeskTestBed;
  let riskFieldId: number;
  beforeAll(async () => {
    bed = await startZendeskTestBed();
    bed.sandbox.seed({ leads: [], tickets: zendeskDemoTickets(300) });
    await bed.control('POST', 'settings', { jobStepMs: 20 });
    riskFieldId = (
      await sdk<{ id: number }>(bed.client.ticketfields.create({ ticket_field: { type: 'decimal', title: 'Fieldcast Escalation Risk' } }))
    ).result.id;
  });
  afterAll(() => bed.sandbox.stop());

  async function completed(id: string): Promise<JobStatus> {
    for (;;) {
      const { result } = await sdk<{ job_status: JobStatus }>(bed.client.jobstatuses.show(id));
      if (result.job_status.status === 'completed') return result.job_status;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('applies one change to many tickets with ?ids= and reports a queued job', async () => {
    const seen: string[] = [];
    bed.client.tickets.on('debug::request', (e: { detail: { uri: string; method: string } }) =>
      seen.push(`${e.detail.method} ${e.detail.uri}`),
    );
    const { result } = await sdk<{ job_status: JobStatus }>(
      bed.client.tickets.updateMany([1, 2, 999_999], { ticket: { additional_tags: ['fieldcast_scored'] } }),
    );
    expect(seen.at(-1)).toBe(`PUT ${bed.credentials.endpointUri}/tickets/update_many.json?ids=1%2C2%2C999999`);
    expect(result.job_status).toMatchObject({
      job_type: 'bulk_update',
      total: 3,
      progress: null,
      status: 'queued',
      message: null,
      results: null,
    });
    expect(result.job_status.url).toBe(`${bed.base}/api/v2/job_statuses/${result.job_status.id}.json`);
    const done = await completed(result.job_status.id);
    expect(done.results).toEqual([
      { action: 'update', id: 1, status: 'Updated', success: true },
      { action: 'update', id: 2, status: 'Updated', success: true },
      { action: 'update', id: 999_999, success: false, error: 'TicketNotFound', details: 'Ticket 999999 not found' },
    ]);
    expect((await sdk<WireTicket>(bed.client.tickets.show(2))).result.tags).toContain('fieldcast_scored');
  });

  it('applies per-ticket changes with {tickets:[...]}, with per-ticket errors for closed tickets and unknown or invalid fields', async () => {
    const body = {
      tickets: [
        { id: 3, custom_fields: [{ id: riskFieldId, value: 0.4 }] },
        { id: 9, custom_fields: [{ id: riskFieldId, value: 0.9 }] }, // closed
        { id: 4, custom_fields: [{ id: 123_456, value: 'x' }] }, // no such field
        { id: 5, custom_fields: [{ id: riskFieldId, value: 'very high' }] }, // not a number
        { id: 6, custom_fields: [{ id: riskFieldId, value: 0.7 }], priority: 'high' },
      ],
    };
    const { result } = await sdk<{ job_status: JobStatus }>(bed.client.tickets.put(['tickets', 'update_many'], body));
    const done = await completed(result.job_status.id);
    expect(done.results!.map((r) => [r.id, r.success, r.error ?? r.status])).toEqual([
      [3, true, 'Updated'],
      [9, false, 'RecordInvalid'],
      [4, false, 'RecordInvalid'],
      [5, false, 'RecordInvalid'],
      [6, true, 'Updated'],
    ]);
    expect(done.results![1]!.details).toBe('Status: closed prevents ticket update');
    expect(done.results![2]!.details).toContain('Custom field 123456 does not exist');
    expect(done.results![3]!.details).toContain('is not a number');
    const ticket5 = (await sdk<WireTicket>(bed.client.tickets.show(5))).result;
    expect(ticket5.custom_fields.find((f) => f.id === riskFieldId)?.value).toBeNull();
    const ticket6 = (await sdk<WireTicket>(bed.client.tickets.show(6))).result;
    expect(ticket6.custom_fields.find((f) => f.id === riskFieldId)?.value).toBe('0.7');
    const writes = await bed.control<{ writes: Array<{ id: string; by: string }> }>('GET', 'writes');
    expect(
      writes.body.writes.filter((w) => ['3', '6'].includes(w.id)).every((w) => w.by === String(bed.credentials.integrationUserId)),
    ).toBe(true);
  });

  it('accepts updateMany(undefined, {tickets}) which sends ?ids=undefined', async () => {
    const { result } = await sdk<{ job_status: JobStatus }>(
      bed.client.tickets.updateMany(undefined as unknown as number[], {
        tickets: [{ id: 7, custom_fields: [{ id: riskFieldId, value: 0.1 }] }],
      }),
    );
    expect((await completed(result.job_status.id)).results).toEqual([{ action: 'update', id: 7, status: 'Updated', success: true }]);
  });

  it('refuses more than 100 tickets per request (400, nothing queued)', async () => {
    const before = (await bed.control<{ records: { job_statuses: number } }>('GET', 'stats')).body.records.job_statuses;
    const tickets = Array.from({ length: 101 }, (_, i) => ({ id: i + 1, priority: 'low' }));
    await expect(bed.client.tickets.put(['tickets', 'update_many'], { tickets })).rejects.toThrow('Zendesk Error (400): Bad Request');
    const ids = Array.from({ length: 101 }, (_, i) => i + 1);
    await expect(bed.client.tickets.updateMany(ids, { ticket: { priority: 'low' } })).rejects.toThrow('(400)');
    expect((await bed.control<{ records: { job_statuses: number } }>('GET', 'stats')).body.records.job_statuses).toBe(before);
  });

  it('moves a job queued → working → completed, and watch() resolves with the completed job', async () => {
    await bed.control('POST', 'settings', { jobStepMs: 300 });
    const ids = Array.from({ length: 100 }, (_, i) => i + 101);
    const { result } = await sdk<{ job_status: JobStatus }>(bed.client.tickets.updateMany(ids, { ticket: { additional_tags: ['bulk'] } }));
    const states: string[] = [];
    for (;;) {
      const { result: r } = await sdk<{ job_status: JobStatus }>(bed.client.jobstatuses.show(result.job_status.id));
      if (states.at(-1) !== r.job_status.status) states.push(r.job_status.status);
      if (r.job_status.status === 'completed') {
        expect(r.job_status.progress).toBe(100);
        expect(r.job_status.results).toHaveLength(100);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(states).toEqual(['queued', 'working', 'completed']);
    const second = await sdk<{ job_status: JobStatus }>(bed.client.tickets.updateMany([1], { ticket: { additional_tags: ['watched'] } }));
    const watched = (await bed.client.jobstatuses.watch(second.result.job_status.id, 100, 5)) as unknown as JobStatus;
    expect(watched.status).toBe('completed');
    await bed.control('POST', 'settings', { jobStepMs: 20 });
  });

  it('shows many job statuses at once and 404s unknown ones', async () => {
    const a = await sdk<{ job_status: JobStatus }>(bed.client.tickets.updateMany([10], { ticket: { additional_tags: ['a'] } }));
    const b = await sdk<{ job_status: JobStatus }>(bed.client.tickets.updateMany([11], { ticket: { additional_tags: ['b'] } }));
    await completed(b.result.job_status.id);
    const many = await sdk<{ job_statuses: JobStatus[] }>(
      bed.client.jobstatuses.showMany([a.result.job_status.id, b.result.job_status.id]),
    );
    expect(many.result.job_statuses.map((j) => j.status)).toEqual(['completed', 'completed']);
    await expect(bed.client.jobstatuses.show('0123456789abcdef')).rejects.toThrow('Zendesk Error (404)');
  });

  it('keeps only the last 100 job statuses, for an hour', async () => {
    const first = await sdk<{ job_status: JobStatus }>(bed.client.tickets.updateMany([12], { ticket: { additional_tags: ['first'] } }));
    for (let i = 0; i < 100; i++) await bed.client.tickets.updateMany([13], { ticket: { additional_tags: [`t${i % 3}`] } });
    await expect(bed.client.jobstatuses.show(first.result.job_status.id)).rejects.toThrow('(404)');
    const last = await sdk<{ job_status: JobStatus }>(bed.client.tickets.updateMany([14], { ticket: { additional_tags: ['last'] } }));
    for (const job of bed.sandbox.store.jobs.values()) job.createdAt -= 3_600_001; // an hour passes
    await expect(bed.client.jobstatuses.show(last.result.job_status.id)).rejects.toThrow('(404)');
  });
});
