import type { Command } from 'commander';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@fieldcast/config';
import { createAllConnectors } from '@fieldcast/connectors';
import { createLogger, startPlatform, type Platform } from '@fieldcast/runtime';
import { startApi } from '../../../api/src';
import { startWorker } from '../../../worker/src';
import { CliError } from '../cli-output';
import { shouldRunDemo, startDemoMode, type DemoMode } from '../demo/demo-mode';

type Role = 'all' | 'api' | 'worker';

/**
 * `npm start` = `fieldcast start all`: API and worker in one process. `start api` / `start worker`
 * run the roles separately (several workers on several machines share one database).
 * Shutdown order on SIGINT/SIGTERM: stop taking HTTP requests, let running jobs finish (pg-boss
 * graceful stop), close the pool, stop the embedded PostgreSQL. A second signal exits at once.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .argument('[role]', 'all | api | worker', 'all')
    .description('Run Fieldcast: the API and/or the worker (embedded PostgreSQL when DATABASE_URL is not set)')
    .action(async (role: string) => {
      if (role !== 'all' && role !== 'api' && role !== 'worker') throw new CliError(`Unknown role "${role}": expected all, api or worker`);
      await runRole(role);
    });
}

async function runRole(role: Role): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL, name: `fieldcast-${role}` });
  const started = Date.now();
  const platform = await startPlatform({ config, log, role: role === 'api' ? 'producer' : 'worker', connectors: createAllConnectors() });
  let worker: { context: INestApplicationContext; queues: string[] } | undefined;
  let api: { app: INestApplication; url: string } | undefined;
  let demo: DemoMode | undefined;
  try {
    // The demo needs both roles in this process: the sandboxes call the API, the worker writes back.
    if (role === 'all' && (await shouldRunDemo(platform))) demo = await startDemoMode(platform);
    if (role !== 'api') worker = await startWorker(platform);
    if (role !== 'worker') api = await startApi(platform);
  } catch (error) {
    await worker?.context.close().catch(() => undefined);
    await demo?.stop().catch(() => undefined);
    await platform.shutdown();
    throw error;
  }
  installShutdown(platform, async () => {
    await api?.app.close();
    await worker?.context.close();
    await demo?.stop();
  });
  const lines = [
    `Fieldcast ${role === 'all' ? 'API + worker' : role} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  database   ${platform.databaseLabel}`,
  ];
  if (api)
    lines.push(
      `  API        ${api.url}`,
      `  health     ${api.url}/health/ready`,
      `  API docs   ${api.url}/docs`,
      `  metrics    ${api.url}/metrics`,
    );
  if (worker) lines.push(`  worker     pid ${process.pid}, queues: ${worker.queues.join(', ')}`);
  if (demo) lines.push(...demo.banner);
  lines.push('Press Ctrl-C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function installShutdown(platform: Platform, stopRoles: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`\n${signal} again: exiting now without waiting.\n`);
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: shutting down (finishing running jobs; press Ctrl-C again to force)…\n`);
    void (async () => {
      try {
        await stopRoles();
        await platform.shutdown();
        process.stderr.write('Stopped cleanly.\n');
        process.exit(0);
      } catch (error) {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      }
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
