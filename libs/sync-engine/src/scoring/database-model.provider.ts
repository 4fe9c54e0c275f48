/**
 * Which model answers for a connection and task: the connection's champion, else the instance's
 * champion default, else the model shipped with Fieldcast (cold start). Loaded models are cached
 * briefly so a page of 500 records does not re-read and re-parse the artifact.
 */
import type { DataSource } from 'typeorm';
import { IsNull } from 'typeorm';
import type { ScoringTask } from '@fieldcast/connector-sdk';
import { ModelArtifactEntity } from '@fieldcast/database';
import { loadArtifact, type LoadedModel } from '@fieldcast/scoring';
import type { ModelProvider, ResolvedModel } from './record-scorer';

export class DatabaseModelProvider implements ModelProvider {
  private readonly cache = new Map<string, { model: ResolvedModel; expiresAt: number }>();
  private readonly shipped = new Map<string, LoadedModel>();

  constructor(
    private readonly dataSource: DataSource,
    /** The shipped cold-start artifact for a task (from @fieldcast/scoring), if any. */
    private readonly shippedDefault: (task: ScoringTask) => unknown,
    private readonly ttlMs = 30_000,
  ) {}

  async modelFor(connectionId: string, task: ScoringTask): Promise<ResolvedModel | undefined> {
    const key = `${connectionId}:${task}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.model;
    const repo = this.dataSource.getRepository(ModelArtifactEntity);
    const champion =
      (await repo.findOne({ where: { connectionId, task, status: 'champion' }, order: { version: 'DESC' } })) ??
      (await repo.findOne({ where: { connectionId: IsNull(), task, status: 'champion' }, order: { version: 'DESC' } }));
    let resolved: ResolvedModel;
    if (champion) {
      resolved = { model: loadArtifact(champion.artifact), artifactId: champion.id };
    } else {
      let model = this.shipped.get(task);
      if (!model) {
        const artifact = this.shippedDefault(task);
        if (!artifact) return undefined;
        model = loadArtifact(artifact);
        this.shipped.set(task, model);
      }
      resolved = { model, artifactId: null };
    }
    this.cache.set(key, { model: resolved, expiresAt: Date.now() + this.ttlMs });
    return resolved;
  }

  invalidate(): void {
    this.cache.clear();
  }
}
