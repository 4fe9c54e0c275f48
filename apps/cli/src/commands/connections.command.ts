import type { Command } from 'commander';
import { ConnectionEntity } from '@fieldcast/database';
import { print, table } from '../cli-output';
import { withPlatform } from '../cli-platform';

export function registerConnectionCommands(program: Command): void {
  const connections = program.command('connections').description('Vendor connections');
  connections
    .command('list')
    .description('List connections with their status and last sync (secrets are never shown)')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const rows = await withPlatform(({ dataSource }) => dataSource.getRepository(ConnectionEntity).find({ order: { createdAt: 'ASC' } }));
      const view = rows.map((c) => ({
        id: c.id,
        name: c.name,
        vendor: c.vendor,
        status: c.status,
        demo: c.isDemo,
        lastSyncedAt: c.lastSyncedAt,
        lastError: c.lastError,
      }));
      print(options, view, () => table(view, ['id', 'name', 'vendor', 'status', 'demo', 'lastSyncedAt', 'lastError']));
    });
}
