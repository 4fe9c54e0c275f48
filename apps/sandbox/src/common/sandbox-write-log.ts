/**
 * Every write a sandbox accepts, in order: GET /__sandbox/writes. The pipeline's exactly-once tests
 * read it to prove that each changed record was written once and only once.
 */
export interface SandboxWrite {
  seq: number;
  at: string;
  object: string;
  id: string;
  fields: Record<string, unknown>;
  /** Who wrote it (integration user id / OAuth app), to tell Fieldcast's writes apart. */
  by: string;
}

export class SandboxWriteLog {
  private entries: SandboxWrite[] = [];

  record(object: string, id: string, fields: Record<string, unknown>, by: string): void {
    this.entries.push({ seq: this.entries.length + 1, at: new Date().toISOString(), object, id, fields, by });
  }

  list(filter: { object?: string; sinceSeq?: number } = {}): SandboxWrite[] {
    return this.entries.filter((e) => (!filter.object || e.object === filter.object) && (!filter.sinceSeq || e.seq > filter.sinceSeq));
  }

  clear(): void {
    this.entries = [];
  }

  get size(): number {
    return this.entries.length;
  }
}
