import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.__FIELDCAST_TEST_PG__;
  if (!pg) return;
  globalThis.__FIELDCAST_TEST_PG__ = undefined;
  await pg.stop();
  const url = process.env.FIELDCAST_TEST_SERVER_URL;
  delete process.env.FIELDCAST_TEST_SERVER_URL;
  void url;
  const dir = (pg as unknown as { options: { dataDir: string } }).options.dataDir;
  rmSync(dir, { recursive: true, force: true });
}
