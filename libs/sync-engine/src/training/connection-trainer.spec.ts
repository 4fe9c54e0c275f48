// A connection's ticket model must be trained with the ticket text settings the quality bench chose
// (2^20 buckets, no idf, C from {10, 30}), not trainModel's generic defaults: the stored artifact
// shows what was used.
import type { StreamDescriptor } from '@fieldcast/connector-sdk';
import { ConnectionEntity, ModelArtifactEntity, SyncedRecordEntity } from '@fieldcast/database';
import type { LinearArtifact } from '@fieldcast/scoring';
import type { DataSource } from 'typeorm';
import type { ConnectorRegistry } from '../registry/connector-registry';
import { connectionTrainOptions, retrainConnection } from './connection-trainer';

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

function fakeDeps(records: ReturnType<typeof syncedTickets>): {
  deps: { dataSource: DataSource; registry: ConnectorRegistry };
  saved: Array<{ artifact: Record<string, unknown> }>;
} {
  const saved: Array<{ artifact: Record<string, unknown> }> = [];
  const repositories = new Map<unknown, unknown>([
    [ConnectionEntity, { findOneBy: async () => ({ id: 'c1', vendor: 'zendesk' }) }],
    [SyncedRecordEntity, { find: async () => records }],
    [
      ModelArtifactEntity,
      {
        findOne: async () => null,
        update: async () => undefined,
        save: async (row: { artifact: Record<string, unknown> }) => {
          saved.push(row);
          return { ...row, id: 'a1' };
        },
      },
    ],
  ]);
  const dataSource = {
    getRepository: (entity: unknown) => repositories.get(entity),
    transaction: async (work: (tx: unknown) => Promise<unknown>) => work(dataSource),
  };
  const registry = { get: () => ({ describe: () => ({ streams: [tickets] }) }) };
  return { deps: { dataSource: dataSource as unknown as DataSource, registry: registry as unknown as ConnectorRegistry }, saved };
}

describe('retrainConnection for ticket categories', () => {
  it('trains with the quality bench ticket text settings (2^20 buckets, no idf, C of 10 or 30)', async () => {
    const { deps, saved } = fakeDeps(syncedTickets(90));
    const outcome = await retrainConnection(deps, 'c1', 'ticket-category');
    expect(outcome.status).not.toBe('skipped');
    const artifact = saved[0]?.artifact as unknown as LinearArtifact;
    const text = artifact.featureSchema.encodings.find((e) => e.type === 'text');
    expect(text).toMatchObject({ field: 'description', config: { hashBits: 20, idf: false } });
    expect([10, 30]).toContain(artifact.model.C);
  });
});

describe('connectionTrainOptions', () => {
  it('compares C = 10 and 30 on small ticket histories', () => {
    const options = connectionTrainOptions('ticket-category', 5_000);
    expect(options.candidates).toEqual([{ C: 10 }, { C: 30 }]);
    expect(options.encoder).toEqual({ text: { hashBits: 20, idf: false } });
    expect(options.folds).toBeUndefined();
  });

  it('fits one C with 3 folds and 2^18 buckets on large ticket histories (time and memory budget)', () => {
    const options = connectionTrainOptions('ticket-category', 50_000);
    expect(options.candidates).toBeUndefined();
    expect(options).toMatchObject({ C: 10, folds: 3, gradientTolerance: 1e-4, encoder: { text: { hashBits: 18, idf: false } } });
  });

  it('leaves lead and escalation models to trainModel defaults', () => {
    expect(connectionTrainOptions('lead-score', 50_000)).toEqual({});
    expect(connectionTrainOptions('escalation-risk', 50_000)).toEqual({});
  });
});
