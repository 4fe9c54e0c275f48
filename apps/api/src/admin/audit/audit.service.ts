/**
 * Records admin actions in audit_log: who, what, on which target, when, from which IP and user agent.
 * Callers pass only non-secret details; keys that look like secrets are dropped here as a second line
 * of defence, so a careless `details` never lands a token in the log.
 */
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLogEntity } from '@fieldcast/database';
import { clientInfo } from '../common/client-info';
import type { AdminPrincipal } from '../auth/admin-principal';

const SECRET_KEY = /pass|secret|token|authorization|cookie|credential|apikey|api_key/i;

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

export function withoutSecrets(details: Record<string, unknown>): Record<string, unknown> {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEY.test(key)) continue;
    clean[key] = value && typeof value === 'object' && !Array.isArray(value) ? withoutSecrets(value as Record<string, unknown>) : value;
  }
  return clean;
}

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(
    request: Request,
    actor: Pick<AdminPrincipal, 'userId' | 'email'> | { userId: null; email: string | null },
    entry: AuditEntry,
    manager?: EntityManager,
  ): Promise<void> {
    const { ip, userAgent } = clientInfo(request);
    const repo = (manager ?? this.dataSource.manager).getRepository(AuditLogEntity);
    await repo.save(
      repo.create({
        actorType: 'admin',
        actorId: actor.userId,
        actorLabel: actor.email,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        details: withoutSecrets(entry.details ?? {}),
        ip,
        userAgent,
      }),
    );
  }
}
