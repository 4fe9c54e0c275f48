import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoData } from './demo-data.generator';
import { DemoDataSnapshotError, loadDemoDataSnapshot, saveDemoDataSnapshot } from './demo-data.snapshot';

describe('demo data snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fieldcast-snapshot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a data set through a JSON Lines file, one record per line', () => {
    const data = generateDemoData({ leads: 120, tickets: 80, seed: 5 });
    const path = join(dir, 'nested', 'demo.jsonl');
    saveDemoDataSnapshot(path, data);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 120 + 80);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ format: 'fieldcast-demo-data', version: 1, leads: 120, tickets: 80 });
    expect(loadDemoDataSnapshot(path)).toEqual(data);
  });

  it('explains what is wrong with a bad snapshot and how to recover', () => {
    const notOurs = join(dir, 'other.jsonl');
    writeFileSync(notOurs, '{"hello":"world"}\n');
    expect(() => loadDemoDataSnapshot(notOurs)).toThrow(
      `${notOurs} is not a fieldcast-demo-data v1 snapshot (its first line is not the expected header). Delete ${notOurs} to regenerate it, or point the snapshot option at another file.`,
    );
    const truncated = join(dir, 'truncated.jsonl');
    writeFileSync(
      truncated,
      '{"format":"fieldcast-demo-data","version":1,"savedAt":"x","leads":2,"tickets":0}\n{"key":"lead-1","email":"a@b","createdAt":"x","converted":false}\n',
    );
    expect(() => loadDemoDataSnapshot(truncated)).toThrow(/ends early: expected a lead on line 3/);
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"format":"fieldcast-demo-data","version":1,"savedAt":"x","leads":0,"tickets":1}\n{"key":"t-1"\n');
    expect(() => loadDemoDataSnapshot(broken)).toThrow(/line 2: expected a ticket as a JSON object/);
    const incomplete = join(dir, 'incomplete.jsonl');
    writeFileSync(
      incomplete,
      '{"format":"fieldcast-demo-data","version":1,"savedAt":"x","leads":0,"tickets":1}\n{"key":"t-1","subject":"s"}\n',
    );
    expect(() => loadDemoDataSnapshot(incomplete)).toThrow(/line 2: a ticket lacks createdAt, updatedAt, escalated, tags/);
    expect(() => loadDemoDataSnapshot(join(dir, 'missing.jsonl'))).toThrow(DemoDataSnapshotError);
  });
});
