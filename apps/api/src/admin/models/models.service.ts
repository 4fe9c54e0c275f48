/**
 * Model cards per task and connection from model_artifact: training size, held-out metrics, curves
 * when the artifact carries them, most influential fields; retrain (a job), promote, roll back.
 */
import { HttpException, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ModelArtifactEntity } from '@fieldcast/database';
import { JobQueue, QUEUE_NAMES } from '@fieldcast/sync-engine';
import { problem } from '../../problem/problem-details';
import type { AdminPrincipal } from '../auth/admin-principal';
import { AuditService } from '../audit/audit.service';
import { validationProblem } from '../common/zod-validation';
import { ConnectionsService } from '../connections/connections.service';
import { ConnectorAccessService } from '../connections/connector-access.service';
import { modelVersionView, type ModelCardView } from './model-version.view';

@Injectable()
export class ModelsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly connections: ConnectionsService,
    private readonly access: ConnectorAccessService,
    private readonly audit: AuditService,
  ) {}

  private tasksOf(vendor: string): string[] {
    return [
      ...new Set(
        this.access
          .connector(vendor)
          .describe()
          .streams.flatMap((s) => s.tasks),
      ),
    ];
  }

  /** One card per task the connection's streams feed, with its champion and version history (newest first). */
  async cards(id: string): Promise<ModelCardView[]> {
    const connection = await this.connections.find(id);
    const rows = await this.dataSource
      .getRepository(ModelArtifactEntity)
      .find({ where: { connectionId: id }, order: { version: 'DESC' }, take: 200 });
    return this.tasksOf(connection.vendor).map((task) => {
      const versions = rows.filter((r) => r.task === task).map(modelVersionView);
      return { task, champion: versions.find((v) => v.status === 'champion') ?? null, versions };
    });
  }

  async retrain(request: Request, actor: AdminPrincipal, id: string, task: string) {
    const connection = await this.connections.find(id);
    if (!this.tasksOf(connection.vendor).includes(task)) {
      throw validationProblem([{ pointer: '/task', detail: `expected one of ${this.tasksOf(connection.vendor).join(', ')}` }]);
    }
    const jobId = await this.queue.send(QUEUE_NAMES.retrain, { connectionId: id, task }, { singletonKey: `retrain:${id}:${task}` });
    await this.audit.record(request, actor, { action: 'model.retrain', targetType: 'connection', targetId: id, details: { task, jobId } });
    return { queued: jobId !== null, jobId };
  }

  async promote(request: Request, actor: AdminPrincipal, id: string, artifactId: string) {
    await this.connections.find(id);
    const artifact = /^[0-9a-f-]{36}$/i.test(artifactId)
      ? await this.dataSource.getRepository(ModelArtifactEntity).findOneBy({ id: artifactId, connectionId: id })
      : null;
    if (!artifact) throw new NotFoundException(problem(404, `There is no model ${artifactId} on this connection.`));
    if (artifact.status === 'champion') throw new HttpException(problem(409, `Version ${artifact.version} is already the champion.`), 409);
    await this.makeChampion(artifact);
    await this.audit.record(request, actor, {
      action: 'model.promote',
      targetType: 'model_artifact',
      targetId: artifact.id,
      details: { connectionId: id, task: artifact.task, version: artifact.version },
    });
    return this.cards(id);
  }

  /** The previously promoted version becomes champion again; the current one is retired. */
  async rollback(request: Request, actor: AdminPrincipal, id: string, task: string) {
    await this.connections.find(id);
    const repo = this.dataSource.getRepository(ModelArtifactEntity);
    const champion = await repo.findOneBy({ connectionId: id, task, status: 'champion' });
    if (!champion) throw new HttpException(problem(409, `There is no champion for ${task} to roll back from.`), 409);
    const previous = (
      await repo.find({ where: { connectionId: id, task, status: 'retired' }, order: { promotedAt: 'DESC' }, take: 20 })
    ).find((r) => r.promotedAt !== null && r.version !== champion.version);
    if (!previous) throw new HttpException(problem(409, `No earlier promoted version of ${task} exists to roll back to.`), 409);
    await this.makeChampion(previous);
    await this.audit.record(request, actor, {
      action: 'model.rollback',
      targetType: 'model_artifact',
      targetId: previous.id,
      details: { connectionId: id, task, from: champion.version, to: previous.version },
    });
    return this.cards(id);
  }

  private async makeChampion(artifact: ModelArtifactEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE model_artifact SET status = 'retired' WHERE connection_id = $1 AND task = $2 AND status = 'champion'`, [
        artifact.connectionId,
        artifact.task,
      ]);
      await manager.query(`UPDATE model_artifact SET status = 'champion', promoted_at = now() WHERE id = $1`, [artifact.id]);
    });
  }
}
