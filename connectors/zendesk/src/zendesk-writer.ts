/**
 * Write-back with update_many: up to 100 tickets per request, each with its own custom field values,
 * then job-status polling. Jobs are submitted in waves (Zendesk keeps only the last 100 job statuses)
 * and a wave is polled with one show_many call per round, so 1,000 writes cost about 10 PUTs and one
 * or two polls. Per-ticket results become coded WriteResults; ops that cannot be written (unknown
 * field, bad value, not a ticket id) fail before any call.
 * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-many-tickets
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/#show-many-job-statuses
 */
import { chunk, sleep } from '@fieldcast/common';
import { ConnectorException, type ConnectorContext, type WriteOp, type WriteResult } from '@fieldcast/connector-sdk';
import type { ZendeskFieldCatalog, ZendeskWireValue } from './mappers/zendesk-field-catalog';
import type { ZendeskCall } from './zendesk-call';
import { parseZendeskJobResult } from './zendesk-error.parser';
import type { ZendeskRawJobStatus } from './zendesk-raw.types';

export const ZENDESK_UPDATE_MANY_MAX = 100;
export const ZENDESK_JOB_POLL_ENDPOINT = 'GET /api/v2/job_statuses/show_many';

export interface ZendeskWritePolicy {
  /** Jobs submitted before polling (<= 100: Zendesk keeps the last 100 job statuses). */
  jobsInFlight: number;
  /** Wait before each show_many poll. */
  pollIntervalMs: number;
  /** Give up waiting for a wave after this long (the ops fail as retryable). */
  maxWaitMs: number;
}

interface TicketWrite {
  ticketId: number;
  opIds: string[];
  customFields: Map<number, ZendeskWireValue>;
}

const TERMINAL = new Set(['completed', 'failed', 'killed']);

function failed(opId: string, code: string, message: string, retryable: boolean, vendorCode?: string): WriteResult {
  return { opId, status: 'failed', error: { code, message, retryable, ...(vendorCode ? { vendorCode } : {}) } };
}

export async function writeZendeskBatch(
  ctx: ConnectorContext,
  call: ZendeskCall,
  catalog: ZendeskFieldCatalog,
  ops: WriteOp[],
  policy: ZendeskWritePolicy,
): Promise<WriteResult[]> {
  const results = new Map<string, WriteResult>();
  const byTicket = new Map<number, TicketWrite>();
  for (const op of ops) {
    const ticketId = Number(op.externalId);
    if (!/^\d+$/.test(op.externalId) || !Number.isSafeInteger(ticketId)) {
      results.set(op.opId, failed(op.opId, 'VALIDATION', `"${op.externalId}" is not a Zendesk ticket id`, false));
      continue;
    }
    const values = new Map<number, ZendeskWireValue>();
    let problem: WriteResult | undefined;
    for (const [name, value] of Object.entries(op.fields)) {
      const field = catalog.byTitle(name);
      if (!field) {
        problem = failed(
          op.opId,
          'CONFIG',
          `Zendesk has no ticket field titled "${name}"; run field provisioning (ensureFields)`,
          false,
          'FieldNotFound',
        );
        break;
      }
      const wire = catalog.toWire(field, value);
      if (!wire.ok) {
        problem = failed(op.opId, 'VALIDATION', wire.message, false, 'InvalidValue');
        break;
      }
      values.set(field.id, wire.value);
    }
    if (problem) {
      results.set(op.opId, problem);
      continue;
    }
    // Several ops for one ticket become one entry (a ticket may appear only once per update_many).
    const entry: TicketWrite = byTicket.get(ticketId) ?? { ticketId, opIds: [], customFields: new Map() };
    entry.opIds.push(op.opId);
    for (const [id, v] of values) entry.customFields.set(id, v);
    byTicket.set(ticketId, entry);
  }

  const batches = chunk([...byTicket.values()], ZENDESK_UPDATE_MANY_MAX);
  for (const wave of chunk(batches, Math.max(1, Math.min(100, policy.jobsInFlight)))) {
    const jobs = new Map<string, TicketWrite[]>();
    for (const batch of wave) {
      const body = {
        tickets: batch.map((t) => ({ id: t.ticketId, custom_fields: [...t.customFields].map(([id, value]) => ({ id, value })) })),
      };
      try {
        const submitted = await call<{ job_status: ZendeskRawJobStatus }>('PUT /api/v2/tickets/update_many', 'write', (client) =>
          client.tickets.put(['tickets', 'update_many'], body),
        );
        jobs.set(submitted.job_status.id, batch);
      } catch (error) {
        if (!(error instanceof ConnectorException) || error.isTransient) throw error;
        for (const t of batch)
          for (const opId of t.opIds) results.set(opId, failed(opId, error.code, error.message, false, error.vendorCode));
      }
    }
    await pollWave(ctx, call, jobs, results, policy);
  }
  return ops.map((op) => results.get(op.opId) ?? failed(op.opId, 'UNKNOWN', 'no result from Zendesk for this write', true));
}

async function pollWave(
  ctx: ConnectorContext,
  call: ZendeskCall,
  jobs: Map<string, TicketWrite[]>,
  results: Map<string, WriteResult>,
  policy: ZendeskWritePolicy,
): Promise<void> {
  const pending = new Set(jobs.keys());
  const deadline = Date.now() + policy.maxWaitMs;
  while (pending.size) {
    await sleep(policy.pollIntervalMs, ctx.signal);
    const ids = [...pending];
    const polled = await call<{ job_statuses: ZendeskRawJobStatus[] }>(ZENDESK_JOB_POLL_ENDPOINT, 'read', (client) =>
      client.jobstatuses.showMany(ids),
    );
    const seen = new Set<string>();
    for (const job of polled.job_statuses) {
      seen.add(job.id);
      if (!TERMINAL.has(job.status)) continue;
      pending.delete(job.id);
      const batch = jobs.get(job.id) ?? [];
      const byId = new Map((job.results ?? []).map((r) => [r.id, r]));
      for (const t of batch) {
        const r = byId.get(t.ticketId);
        for (const opId of t.opIds) {
          if (job.status !== 'completed')
            results.set(
              opId,
              failed(opId, 'TEMPORARY', `Zendesk job ${job.id} ended ${job.status}: ${job.message ?? ''}`.trim(), true, job.status),
            );
          else if (!r) results.set(opId, failed(opId, 'UNKNOWN', `Zendesk job ${job.id} has no result for ticket ${t.ticketId}`, true));
          else {
            const error = parseZendeskJobResult(r);
            results.set(opId, error ? { opId, status: 'failed', error } : { opId, status: 'written' });
          }
        }
      }
    }
    for (const id of ids) {
      if (seen.has(id)) continue;
      // Zendesk dropped the job status (only the last 100 are kept, for an hour): the outcome is unknown.
      pending.delete(id);
      for (const t of jobs.get(id) ?? [])
        for (const opId of t.opIds)
          results.set(opId, failed(opId, 'TEMPORARY', `Zendesk no longer reports job ${id}; write again (it is idempotent)`, true));
    }
    if (pending.size && Date.now() > deadline) {
      for (const id of pending)
        for (const t of jobs.get(id) ?? [])
          for (const opId of t.opIds)
            results.set(opId, failed(opId, 'TEMPORARY', `Zendesk job ${id} still running after ${policy.maxWaitMs} ms`, true));
      return;
    }
  }
}
