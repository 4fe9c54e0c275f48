import type { Command } from 'commander';
import { ConnectionEntity, SyncRunEntity } from '@fieldcast/database';
import { QUEUE_NAMES } from '@fieldcast/sync-engine';
import { CliError, print } from '../cli-output';
import { withPlatform } from '../cli-platform';

const TERMINAL = new Set(['succeeded', 'partial', 'failed', 'cancelled']);

/**
 * `fieldcast sync <connection> [--stream S] [--full] [--wait]`: queues a run for a worker (the run is
 * the same as a scheduled one) and, with --wait, follows its counts until it ends.
 */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync <connection>')
    .description('Start a sync run (connection id or name); a worker must be running (npm start or npm run start:worker)')
    .option('--stream <stream>', 'only this stream (default: every enabled stream)')
    .option('--full', 'full re-sync from the beginning instead of incremental')
    .option('--wait', 'follow progress and end with a summary')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long', '3600')
    .option('--json', 'machine-readable summary (with --wait: counts and vendor API calls per run)')
    .action(
      async (connectionArg: string, options: { stream?: string; full?: boolean; wait?: boolean; timeout: string; json?: boolean }) => {
        const timeout = Number(options.timeout);
        if (!(timeout > 0)) throw new CliError('--timeout: expected a number of seconds > 0');
        const summary = await withPlatform(async ({ dataSource, queue, registry }) => {
          const repo = dataSource.getRepository(ConnectionEntity);
          const isUuid = /^[0-9a-f-]{36}$/i.test(connectionArg);
          const connection =
            (isUuid ? await repo.findOneBy({ id: connectionArg }) : null) ?? (await repo.findOneBy({ name: connectionArg }));
          if (!connection) throw new CliError(`No connection "${connectionArg}" (see fieldcast connections list)`);
          if (connection.status === 'needs_reauth')
            throw new CliError(`Connection "${connection.name}" needs re-authentication before it can sync (settings UI → Connections)`);
          const streams = registry
            .get(connection.vendor)
            .describe()
            .streams.map((s) => s.name);
          if (options.stream && !streams.includes(options.stream))
            throw new CliError(`--stream: "${options.stream}" is not a stream of ${connection.vendor} (streams: ${streams.join(', ')})`);
          const selected = options.stream ? [options.stream] : streams;
          const runs = dataSource.getRepository(SyncRunEntity);
          const runIds: string[] = [];
          for (const stream of selected) {
            const run = await runs.save(
              runs.create({
                connectionId: connection.id,
                stream,
                trigger: 'cli',
                mode: options.full ? 'full' : 'incremental',
                status: 'queued',
              }),
            );
            await queue.send(QUEUE_NAMES.sync, {
              connectionId: connection.id,
              stream,
              mode: options.full ? 'full' : 'incremental',
              trigger: 'cli',
              runId: run.id,
            });
            runIds.push(run.id);
          }
          if (!options.wait) return { connection: connection.name, queued: runIds };
          const deadline = Date.now() + timeout * 1000;
          let last = '';
          let rows: SyncRunEntity[] = [];
          while (Date.now() < deadline) {
            rows = await Promise.all(runIds.map((id) => runs.findOneByOrFail({ id })));
            if (!options.json) {
              const line = rows
                .map(
                  (r) =>
                    `${r.stream}: ${r.status} fetched ${r.counts.fetched}, scored ${r.counts.scored}, written ${r.counts.written}, unchanged ${r.counts.skippedUnchanged}, failed ${r.counts.failed}`,
                )
                .join(' | ');
              if (line !== last) process.stderr.write(`${line}\n`);
              last = line;
            }
            if (rows.every((r) => TERMINAL.has(r.status))) break;
            await new Promise((r) => setTimeout(r, 1000));
          }
          if (!rows.every((r) => TERMINAL.has(r.status)))
            throw new CliError(`Still running after ${timeout} s (runs ${runIds.join(', ')}); is a worker running?`);
          return {
            connection: connection.name,
            runs: rows.map((r) => ({
              id: r.id,
              stream: r.stream,
              status: r.status,
              mode: r.mode,
              counts: r.counts,
              apiCalls: r.apiCalls,
              apiCallsByEndpoint: r.apiCallsByEndpoint,
              rateLimitWaitMs: r.rateLimitWaitMs,
              durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
              error: r.error,
            })),
          };
        });
        const finished = 'runs' in summary ? summary.runs : undefined;
        const queued = 'queued' in summary ? (summary.queued ?? []) : [];
        print(options, summary, () =>
          finished
            ? finished
                .map(
                  (r) =>
                    `${r.stream}: ${r.status} in ${((r.durationMs ?? 0) / 1000).toFixed(1)} s, ${r.counts.fetched} fetched, ${r.counts.scored} scored, ${r.counts.written} written, ${r.counts.skippedUnchanged} unchanged, ${r.counts.deleted} deleted, ${r.counts.failed} failed, ${r.apiCalls} vendor API calls${r.error ? ` (${r.error})` : ''}`,
                )
                .join('\n')
            : `Queued ${queued.length} run(s) for ${summary.connection}: ${queued.join(', ')}`,
        );
        if (finished?.some((r) => r.status === 'failed')) process.exitCode = 1;
      },
    );
}
