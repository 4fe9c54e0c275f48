import type { Command } from 'commander';
import { In } from 'typeorm';
import { AuditLogEntity } from '@fieldcast/database';
import { QUEUE_NAMES } from '@fieldcast/sync-engine';
import { CliError, print } from '../cli-output';
import { withPlatform } from '../cli-platform';

export function registerWorkerCommands(program: Command): void {
  const workers = program.command('workers').description('Worker processes');
  workers
    .command('ping')
    .description('Send diagnostic jobs and report which worker processes ran them')
    .option('--count <n>', 'how many jobs to send', '10')
    .option('--timeout <seconds>', 'how long to wait for them', '30')
    .option('--json', 'machine-readable output')
    .action(async (options: { count: string; timeout: string; json?: boolean }) => {
      const count = Number(options.count);
      const timeout = Number(options.timeout);
      if (!Number.isInteger(count) || count < 1 || count > 10_000)
        throw new CliError('--count: expected a whole number between 1 and 10000');
      if (!(timeout > 0 && timeout <= 3600)) throw new CliError('--timeout: expected seconds between 1 and 3600');
      const result = await withPlatform(async ({ queue, dataSource }) => {
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
          const id = await queue.send(QUEUE_NAMES.diagnostic, { requestedBy: 'fieldcast workers ping' });
          if (id) ids.push(id);
        }
        const deadline = Date.now() + timeout * 1000;
        const repo = dataSource.getRepository(AuditLogEntity);
        let rows: AuditLogEntity[] = [];
        while (Date.now() < deadline) {
          rows = await repo.findBy({ action: 'worker.diagnostic', targetId: In(ids) });
          if (rows.length >= ids.length) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        const byWorker: Record<string, number> = {};
        for (const row of rows) byWorker[String(row.details['pid'])] = (byWorker[String(row.details['pid'])] ?? 0) + 1;
        return { sent: ids.length, done: rows.length, byWorker };
      });
      print(options, result, () =>
        result.done === 0
          ? `No worker answered within ${timeout} s. Is a worker running (npm start, or npm run start:worker)?`
          : `${result.done}/${result.sent} jobs done by ${Object.keys(result.byWorker).length} worker process(es): ${Object.entries(
              result.byWorker,
            )
              .map(([pid, n]) => `pid ${pid}: ${n}`)
              .join(', ')}`,
      );
      if (result.done < result.sent) process.exitCode = 1;
    });
}
