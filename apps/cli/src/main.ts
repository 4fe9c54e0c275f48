/**
 * `npx fieldcast <command>`: the operator's chores without the UI. Every command has --help;
 * those that print data take --json. Errors print one line to stderr and exit 1.
 */
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '@fieldcast/config';
import { registerAdminCommands } from './commands/admin.command';
import { registerApiKeyCommands } from './commands/api-keys.command';
import { registerConnectionCommands } from './commands/connections.command';
import { registerKeyCommands } from './commands/keys.command';
import { registerMigrateCommand } from './commands/migrate.command';
import { registerSandboxCommand } from './commands/sandbox.command';
import { registerStartCommand } from './commands/start.command';
import { registerSyncCommand } from './commands/sync.command';
import { registerWorkerCommands } from './commands/workers.command';

export function buildProgram(): Command {
  const program = new Command('fieldcast')
    .description('Fieldcast: sync Salesforce, HubSpot and Zendesk, score with AI, write back as native fields')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerStartCommand(program);
  registerMigrateCommand(program);
  registerAdminCommands(program);
  registerApiKeyCommands(program);
  registerConnectionCommands(program);
  registerKeyCommands(program);
  registerWorkerCommands(program);
  registerSyncCommand(program);
  registerSandboxCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exit(error.exitCode);
    }
    const message = error instanceof ConfigError ? error.message : `Error: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    if (process.env.FIELDCAST_DEBUG === 'true' && !(error instanceof ConfigError)) process.stderr.write(`${(error as Error).stack}\n`);
    process.exit((error as { exitCode?: number }).exitCode ?? 1);
  }
}

if (require.main === module) void main(process.argv);
