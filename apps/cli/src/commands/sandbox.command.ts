import type { Command } from 'commander';
import { runSandboxMain } from '../../../sandbox/src/main';

/** `npm run sandbox` = `fieldcast sandbox [options]`: the local vendor sandboxes alone (its own --help). */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('Run the local Salesforce, HubSpot and Zendesk sandboxes (ports 4101-4103); `fieldcast sandbox --help` for options')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]', 'passed to the sandbox launcher (--leads, --tickets, --seed, --host, --snapshot, --preset, --help)')
    .action(async (args: string[]) => {
      const { cluster, exitCode } = await runSandboxMain(args);
      process.exitCode = exitCode;
      if (!cluster) return;
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) process.exit(1);
        stopping = true;
        process.stdout.write(`\n${signal}: stopping the sandboxes…\n`);
        void cluster.stop().then(() => process.exit(0));
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}
