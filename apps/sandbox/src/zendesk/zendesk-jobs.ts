/**
 * Bulk updates and their job statuses: `PUT /api/v2/tickets/update_many` answers at once with a
 * queued job; the job then moves queued → working (the updates are applied) → completed (results
 * visible) on timers of jobStepMs each, as Zendesk's background jobs do. Per-ticket failures (not
 * found, closed, unknown or invalid custom field) are results with success: false; the others apply.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-many-tickets
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/
 */
import { randomBytes } from 'node:crypto';
import type { ZendeskApi } from './zendesk-api';
import { parseZendeskBody, zendeskBadRequest, zendeskJson, zendeskRecordNotFound } from './zendesk-errors';
import type { ZendeskSettings } from './zendesk-settings';
import type { ZendeskStore } from './zendesk-store';
import type { ZendeskActor, ZendeskTicketService } from './zendesk-ticket.service';
import type { ZendeskJob, ZendeskJobResult, ZendeskTicketChange } from './zendesk.types';

export const ZENDESK_UPDATE_MANY_MAX = 100;

export class ZendeskJobRunner {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: ZendeskStore,
    private readonly tickets: ZendeskTicketService,
    private readonly settings: () => ZendeskSettings,
  ) {}

  submit(work: ZendeskTicketChange[], actor: ZendeskActor): ZendeskJob {
    const job: ZendeskJob = {
      id: randomBytes(16).toString('hex'),
      jobType: 'bulk_update',
      status: 'queued',
      total: work.length,
      progress: null,
      message: null,
      results: null,
      createdAt: Date.now(),
      work,
      actorId: actor.userId,
      viaChannel: actor.viaChannel,
    };
    this.store.addJob(job);
    this.later(() => this.run(job));
    return job;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.settings().jobStepMs);
    timer.unref();
    this.timers.add(timer);
  }

  private run(job: ZendeskJob): void {
    if (!this.store.jobs.has(job.id)) return;
    job.status = 'working';
    job.progress = 0;
    job.message = 'Updating tickets';
    const results: ZendeskJobResult[] = [];
    for (const item of job.work) {
      const outcome = this.tickets.update(item.id, item.changes, { userId: job.actorId, viaChannel: job.viaChannel });
      results.push(
        outcome.ok
          ? { action: 'update', id: item.id, status: 'Updated', success: true }
          : { action: 'update', id: item.id, success: false, error: outcome.error, details: outcome.details },
      );
      job.progress += 1;
    }
    this.later(() => {
      job.status = 'completed';
      job.results = results;
      job.message = `Completed at ${new Date()
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' +0000')}`;
    });
  }
}

export function renderZendeskJob(job: ZendeskJob, baseUrl: string): Record<string, unknown> {
  return {
    id: job.id,
    job_type: job.jobType,
    url: `${baseUrl}/api/v2/job_statuses/${job.id}.json`,
    total: job.total,
    progress: job.progress,
    status: job.status,
    message: job.message,
    results: job.results,
  };
}

export function mountZendeskJobRoutes(api: ZendeskApi, store: ZendeskStore, runner: ZendeskJobRunner): void {
  api.add('PUT', '/api/v2/tickets/update_many{.json}', (request, ctx) => {
    const parsed = parseZendeskBody(request.rawBody);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const idsRaw = request.query.get('ids');
    let work: ZendeskTicketChange[];
    // updateMany(undefined, {tickets}) sends ?ids=undefined: treat it as absent.
    if (idsRaw !== null && idsRaw !== '' && idsRaw !== 'undefined') {
      const ids = idsRaw.split(',').map((s) => Number(s.trim()));
      if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0))
        return zendeskBadRequest('InvalidValue', `ids must be a comma-separated list of ticket ids, got ${JSON.stringify(idsRaw)}`);
      const change = body.ticket;
      if (!change || typeof change !== 'object' || Array.isArray(change))
        return zendeskBadRequest('InvalidValue', 'With ?ids= the body must be {"ticket": {...the same change for every ticket...}}');
      work = ids.map((id) => ({ id, changes: change as Record<string, unknown> }));
    } else if (Array.isArray(body.tickets)) {
      work = [];
      for (const [index, entry] of (body.tickets as unknown[]).entries()) {
        const { id, ...changes } = (entry ?? {}) as Record<string, unknown>;
        if (typeof id !== 'number' || !Number.isSafeInteger(id))
          return zendeskBadRequest('InvalidValue', `tickets[${index}].id is required (a ticket id), got ${JSON.stringify(id ?? null)}`);
        work.push({ id, changes });
      }
    } else {
      return zendeskBadRequest('InvalidValue', 'Send ?ids=1,2 with {"ticket": {...}} or a body {"tickets": [{"id": 1, ...}, ...]}');
    }
    if (work.length === 0) return zendeskBadRequest('InvalidValue', 'No tickets to update');
    if (work.length > ZENDESK_UPDATE_MANY_MAX)
      return zendeskBadRequest(
        'TooManyValues',
        `update_many accepts at most ${ZENDESK_UPDATE_MANY_MAX} tickets per request, got ${work.length}; split the batch`,
      );
    const job = runner.submit(work, ctx.actor);
    return zendeskJson(200, { job_status: renderZendeskJob(job, ctx.baseUrl) });
  });

  api.add('GET', '/api/v2/job_statuses/show_many{.json}', (request, ctx) => {
    store.pruneJobs(Date.now());
    const ids = (request.query.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length === 0) return zendeskBadRequest('InvalidValue', 'ids is required: a comma-separated list of job status ids');
    if (ids.length > 100) return zendeskBadRequest('TooManyValues', `at most 100 job status ids per request, got ${ids.length}`);
    const jobs = ids.map((id) => store.jobs.get(id)).filter((j): j is ZendeskJob => !!j);
    return zendeskJson(200, { job_statuses: jobs.map((j) => renderZendeskJob(j, ctx.baseUrl)) });
  });

  api.add('GET', '/api/v2/job_statuses{.json}', (_request, ctx) =>
    zendeskJson(200, { job_statuses: [...store.jobs.values()].reverse().map((j) => renderZendeskJob(j, ctx.baseUrl)) }),
  );

  api.add('GET', '/api/v2/job_statuses/:id{.json}', (request, ctx) => {
    store.pruneJobs(Date.now());
    const job = store.jobs.get(request.params.id ?? '');
    if (!job) return zendeskRecordNotFound();
    return zendeskJson(200, { job_status: renderZendeskJob(job, ctx.baseUrl) });
  });
}
