import type { Command } from 'commander';
import { createDataSource, runMigrations, EmbeddedPostgres } from '@fieldcast/database';
import { loadConfig } from '@fieldcast/config';
import { createLogger, loadSecretBox, redactUrl } from '@fieldcast/runtime';
import path from 'node:path';
import { print } from '../cli-output';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (npm start does this too unless FIELDCAST_MIGRATE_ON_START=false)')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      let embedded: EmbeddedPostgres | undefined;
      let url = config.DATABASE_URL;
      if (!url) {
        embedded = new EmbeddedPostgres({
          dataDir: path.resolve(config.FIELDCAST_DATA_DIR),
          port: config.FIELDCAST_EMBEDDED_PG_PORT,
          shareRunningServer: true,
        });
        url = await embedded.start();
      }
      const dataSource = createDataSource({ url, applicationName: 'fieldcast-migrate' });
      try {
        await dataSource.initialize();
        // The key is read only if a migration has encrypted values to move (never on a fresh database).
        const applied = await runMigrations(dataSource, { secrets: () => loadSecretBox(config, createLogger({ level: 'warn' })) });
        print(options, { database: redactUrl(url), applied }, () =>
          applied.length
            ? `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}`
            : 'The database is up to date; no migration to apply.',
        );
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
        await embedded?.stop();
      }
    });
}
