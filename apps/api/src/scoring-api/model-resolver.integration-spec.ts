/**
 * Which model answers, on a real PostgreSQL: the connection's champion, else the instance champion,
 * else the shipped default, else 503 + Retry-After naming the task; compiled models are reused.
 */
import { HttpException } from '@nestjs/common';
import { ConnectionEntity, ModelArtifactEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import { createLogger } from '@fieldcast/runtime';
import { defaultArtifact, trainModel } from '@fieldcast/scoring';
import { LEAD_FIELDS, syntheticLeads } from '../../../../bench/api-bench.bed';
import { ModelResolverService } from './model-resolver.service';

describe('ModelResolverService', () => {
  let db: TestDatabase;
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('answers 503 with Retry-After and the task when there is no champion and no shipped default', async () => {
    const resolver = new ModelResolverService(db.dataSource, () => undefined, log);
    const error = await resolver.resolve('escalation-risk').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpException);
    const response = (error as HttpException).getResponse() as Record<string, unknown>;
    expect((error as HttpException).getStatus()).toBe(503);
    expect(response).toMatchObject({ status: 503, retryAfterSeconds: 300, detail: expect.stringMatching(/escalation-risk/) });
  });

  it('falls back to the shipped default, then prefers the instance champion, then the connection champion', async () => {
    const resolver = new ModelResolverService(db.dataSource, (task) => defaultArtifact(task), log);
    const shipped = await resolver.resolve('lead-score');
    expect(shipped).toMatchObject({ source: 'shipped', artifactId: null });

    const connection = await db.dataSource
      .getRepository(ConnectionEntity)
      .save({ name: 'c', vendor: 'hubspot', authMode: 'oauth2', settings: {} });
    const trained = trainModel('lead-score', syntheticLeads(300, 3), {
      fields: LEAD_FIELDS,
      folds: 3,
      gates: { minRows: 50, minPositives: 10 },
    });
    const repo = db.dataSource.getRepository(ModelArtifactEntity);
    const base = {
      task: 'lead-score',
      status: 'champion' as const,
      artifact: trained.artifact as unknown as Record<string, unknown>,
      trainedAt: new Date(),
      trainingRows: 300,
    };
    const instance = await repo.save({ ...base, connectionId: null, version: 1 });
    const own = await repo.save({ ...base, connectionId: connection.id, version: 2 });
    const fresh = new ModelResolverService(db.dataSource, (task) => defaultArtifact(task), log);
    expect(await fresh.resolve('lead-score')).toMatchObject({ source: 'instance', artifactId: instance.id });
    const forConnection = await fresh.resolve('lead-score', connection.id);
    expect(forConnection).toMatchObject({ source: 'connection', artifactId: own.id, cacheKey: `${own.id}@2` });
    // Compiled once, reused by artifact id.
    expect((await fresh.resolve('lead-score', connection.id)).model).toBe(forConnection.model);
  });
});
