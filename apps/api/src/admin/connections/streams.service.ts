/**
 * Per-stream configuration (task, fields, write policy, threshold, shadow mode), field provisioning
 * ("Create fields" = connector.ensureFields) and the shadow-mode preview.
 */
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { CheckResult, FieldProvisionResult, StreamDescriptor } from '@fieldcast/connector-sdk';
import { ConnectionEntity, type StreamConfig } from '@fieldcast/database';
import { streamConfig } from '@fieldcast/sync-engine';
import type { AdminPrincipal } from '../auth/admin-principal';
import { AuditService } from '../audit/audit.service';
import { pageOf, type Page, type PageRequest } from '../common/pagination';
import { parseInput, validationProblem } from '../common/zod-validation';
import { ConnectionsService } from './connections.service';
import { ConnectorAccessService } from './connector-access.service';

export const streamUpdateSchema = z
  .object({
    enabled: z.boolean({ message: 'expected true or false' }).optional(),
    tasks: z.array(z.string({ message: 'expected a task name' }), { message: 'expected a list of task names' }).optional(),
    fields: z
      .record(
        z.string(),
        z
          .string({ message: 'expected the vendor field name as a string' })
          .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'expected a vendor field API name: a letter, then letters, digits or _ (at most 80)'),
        { message: 'expected an object of logical field key → vendor field name' },
      )
      .optional(),
    writePolicy: z.enum(['overwrite', 'only_when_empty'], { message: 'expected overwrite or only_when_empty' }).optional(),
    autoWriteThreshold: z
      .number({ message: 'expected a number between 0 and 1' })
      .min(0, 'expected a number between 0 and 1')
      .max(1, 'expected a number between 0 and 1')
      .optional(),
    shadowMode: z.boolean({ message: 'expected true or false' }).optional(),
  })
  .strict();

export interface ShadowPreviewRow {
  id: string;
  externalId: string;
  object: string;
  field: string;
  recordLabel: string | null;
  currentValue: unknown;
  newValue: unknown;
  confidence: number | null;
  modelVersion: string;
  createdAt: string;
}

@Injectable()
export class StreamsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ConnectionsService,
    private readonly access: ConnectorAccessService,
    private readonly audit: AuditService,
  ) {}

  private descriptor(connection: ConnectionEntity, stream: string): StreamDescriptor {
    const found = this.access
      .connector(connection.vendor)
      .describe()
      .streams.find((s) => s.name === stream);
    if (!found) {
      const names = this.access
        .connector(connection.vendor)
        .describe()
        .streams.map((s) => s.name);
      throw validationProblem([
        { pointer: '/stream', detail: `${connection.vendor} has no stream "${stream}"; expected one of ${names.join(', ')}` },
      ]);
    }
    return found;
  }

  async update(request: Request, actor: AdminPrincipal, id: string, stream: string, body: unknown) {
    const input = parseInput(streamUpdateSchema, body);
    const connection = await this.connections.find(id);
    const descriptor = this.descriptor(connection, stream);
    const errors = [];
    for (const [i, task] of (input.tasks ?? []).entries()) {
      if (!(descriptor.tasks as string[]).includes(task))
        errors.push({
          pointer: `/tasks/${i}`,
          detail: `"${task}" does not run on ${stream}; expected one of ${descriptor.tasks.join(', ')}`,
        });
    }
    const keys = descriptor.defaultFields.map((f) => f.key);
    for (const key of Object.keys(input.fields ?? {})) {
      if (!keys.includes(key))
        errors.push({ pointer: `/fields/${key}`, detail: `unknown field key "${key}"; expected one of ${keys.join(', ')}` });
    }
    if (errors.length) throw validationProblem(errors);
    const current = streamConfig(connection, descriptor);
    const next: StreamConfig = { ...current, ...input, fields: { ...current.fields, ...(input.fields ?? {}) } };
    // Written with jsonb_set so a concurrent edit of another stream is not overwritten.
    await this.dataSource.query(
      `UPDATE connection SET streams = jsonb_set(streams, ARRAY[$2::text], $3::jsonb, true), updated_at = now() WHERE id = $1`,
      [id, stream, JSON.stringify(next)],
    );
    await this.audit.record(request, actor, {
      action: 'connection.stream.update',
      targetType: 'connection',
      targetId: id,
      details: { stream, changes: input },
    });
    return this.connections.get(id);
  }

  /** Creates the fields, then re-tests the connection so its status reflects the fields that now exist. */
  async createFields(
    request: Request,
    actor: AdminPrincipal,
    id: string,
    stream: string,
  ): Promise<FieldProvisionResult & { check: CheckResult }> {
    const connection = await this.connections.find(id);
    this.connections.assertNotConflict(connection);
    const descriptor = this.descriptor(connection, stream);
    const config = streamConfig(connection, descriptor);
    const specs = descriptor.defaultFields.map((f) => ({ ...f, name: config.fields[f.key] ?? f.name }));
    const result = await this.access.connector(connection.vendor).ensureFields(this.access.context(connection), stream, specs);
    await this.audit.record(request, actor, {
      action: 'connection.fields.create',
      targetType: 'connection',
      targetId: id,
      details: { stream, fields: result.fields.map((f) => ({ name: f.name, status: f.status, writable: f.writable })) },
    });
    return { ...result, check: await this.connections.runCheck(request, actor, await this.connections.find(id)) };
  }

  /**
   * What shadow mode would have written: one row per field of the outbox rows with status shadow
   * (an outbox row holds a record's fields), beside the vendor's current value.
   */
  async shadowPreview(id: string, stream: string, request: PageRequest): Promise<Page<ShadowPreviewRow>> {
    const connection = await this.connections.find(id);
    this.descriptor(connection, stream);
    const [{ total }] = (await this.dataSource.query(
      `SELECT coalesce(sum((SELECT count(*) FROM jsonb_object_keys(fields))), 0)::int AS total
       FROM writeback_outbox WHERE connection_id = $1 AND stream = $2 AND status = 'shadow'`,
      [id, stream],
    )) as Array<{ total: number }>;
    const rows = (await this.dataSource.query(
      `SELECT o.id || ':' || f.field AS id, o.external_id, o.object, f.field, f.value, o.model_version, o.created_at, p.confidence,
              r.data -> f.field AS current_value,
              COALESCE(r.data ->> 'Name', r.data ->> 'email', r.data ->> 'Email', r.data ->> 'subject', r.data ->> 'Subject',
                       NULLIF(concat_ws(' ', r.data ->> 'firstname', r.data ->> 'lastname'), '')) AS record_label
       FROM writeback_outbox o
       CROSS JOIN LATERAL jsonb_each(o.fields) AS f(field, value)
       LEFT JOIN prediction p ON p.id = o.prediction_id
       LEFT JOIN synced_record r ON r.connection_id = o.connection_id AND r.object = o.object AND r.external_id = o.external_id
       WHERE o.connection_id = $1 AND o.stream = $2 AND o.status = 'shadow'
       ORDER BY o.created_at DESC, o.id, f.field
       LIMIT $3 OFFSET $4`,
      [id, stream, request.pageSize, request.skip],
    )) as Array<{
      id: string;
      external_id: string;
      object: string;
      field: string;
      value: unknown;
      model_version: string;
      created_at: Date;
      confidence: number | null;
      current_value: unknown;
      record_label: string | null;
    }>;
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        externalId: r.external_id,
        object: r.object,
        field: r.field,
        recordLabel: r.record_label,
        currentValue: r.current_value ?? null,
        newValue: r.value,
        confidence: r.confidence,
        modelVersion: r.model_version,
        createdAt: new Date(r.created_at).toISOString(),
      })),
      total,
      request,
    );
  }
}
