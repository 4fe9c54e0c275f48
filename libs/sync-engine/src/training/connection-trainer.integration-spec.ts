// A connection's ticket model must be trained with the ticket text settings the quality bench chose
// (2^20 buckets, no idf, C from {10, 30}), not trainModel's generic defaults: the stored artifact
// shows what was used. Real PostgreSQL holds the synced history and the stored artifact.
import type { StreamDescriptor } from '@fieldcast/connector-sdk';
import { ConnectionEntity, ModelArtifactEntity, SyncedRecordEntity } from '@fieldcast/database';
import { createTestDatabase, type TestDatabase } from '@fieldcast/database/testing';
import type { LinearArtifact } from '@fieldcast/scoring';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { retrainConnection } from './connection-trainer';

const tickets = {
  name: 'tickets',
  vendorObject: 'ticket',
  tasks: ['ticket-category'],
  writeBatchMax: 100,
  defaultFields: [{ key: 'category', name: 'fieldcast_category', type: 'text', label: 'Category' }],
  trainingLabels: { 'ticket-category': { field: 'category' } },
} as unknown as StreamDescriptor;

const TOPICS: Record<string, string[]> = {
  hardware: ['laptop screen is cracked and the keyboard stopped working', 'printer jams on every page', 'monitor flickers'],
  access: ['cannot log in after the password reset', 'account locked out of the vpn', 'need access to the shared drive'],
  billing: ['invoice shows the wrong amount this month', 'refund for the duplicate charge', 'card declined at renewal'],
};

function syncedTickets(n: number): Array<Pick<SyncedRecordEntity, 'externalId' | 'data'>> {
  const names = Object.keys(TOPICS);
  return Array.from({ length: n }, (_, i) => {
    const category = names[i % names.length];
    const phrases = TOPICS[category];
    return {
      externalId: String(i),
      data: { description: `${phrases[i % phrases.length]} since ticket ${i} was opened by the customer`, category },
    };
  });
}

// Only the stream's description is needed from the connector (which fields, which labels).
const registry = { get: () => ({ describe: () => ({ streams: [tickets] }) }) } as unknown as ConnectorRegistry;

describe('retrainConnection for ticket categories (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('trains with the quality bench ticket text settings (2^20 buckets, no idf, C of 10 or 30) and stores the artifact', async () => {
    const { dataSource } = db;
    const connection = await dataSource
      .getRepository(ConnectionEntity)
      .save({ name: 'zendesk tickets', vendor: 'zendesk', authMode: 'api_token', settings: {} });
    await dataSource.getRepository(SyncedRecordEntity).save(
      syncedTickets(90).map((r) => ({
        ...r,
        connectionId: connection.id,
        stream: 'tickets',
        object: 'ticket',
        vendorModstamp: new Date(),
        contentHash: `h${r.externalId}`,
      })),
    );
    const outcome = await retrainConnection({ dataSource, registry }, connection.id, 'ticket-category');
    expect(outcome.status).not.toBe('skipped');
    const stored = await dataSource
      .getRepository(ModelArtifactEntity)
      .findOneByOrFail({ connectionId: connection.id, task: 'ticket-category' });
    const artifact = stored.artifact as unknown as LinearArtifact;
    const text = artifact.featureSchema.encodings.find((e) => e.type === 'text');
    expect(text).toMatchObject({ field: 'description', config: { hashBits: 20, idf: false } });
    expect([10, 30]).toContain(artifact.model.C);
  });
});
