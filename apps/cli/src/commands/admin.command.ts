import type { Command } from 'commander';
import { hashPassword, passwordProblems } from '@fieldcast/common';
import { AdminUserEntity, AuditLogEntity } from '@fieldcast/database';
import { CliError, print } from '../cli-output';
import { withPlatform } from '../cli-platform';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('Manage admin users of the settings UI');
  admin
    .command('create')
    .description('Create an admin (or viewer) user; the password is read from --password-stdin or FIELDCAST_ADMIN_PASSWORD')
    .requiredOption('--email <email>', 'sign-in email address')
    .option('--role <role>', 'admin or viewer', 'admin')
    .option('--password-stdin', 'read the password from standard input (keeps it out of shell history)')
    .option('--json', 'machine-readable output')
    .action(async (options: { email: string; role: string; passwordStdin?: boolean; json?: boolean }) => {
      const email = options.email.trim().toLowerCase();
      if (!EMAIL.test(email)) throw new CliError(`--email: "${options.email}" is not an email address (expected name@example.com)`);
      if (options.role !== 'admin' && options.role !== 'viewer')
        throw new CliError(`--role: expected admin or viewer, got "${options.role}"`);
      // The one place the CLI reads a variable directly: a secret for this command only, never configuration.
      const password = options.passwordStdin ? await readStdin() : process.env.FIELDCAST_ADMIN_PASSWORD;
      if (!password) throw new CliError('No password given: pipe it with --password-stdin, or set FIELDCAST_ADMIN_PASSWORD');
      const problems = passwordProblems(password);
      if (problems.length) throw new CliError(`The password ${problems.join(' and ')}`);
      const user = await withPlatform(async ({ dataSource }) => {
        const users = dataSource.getRepository(AdminUserEntity);
        if (await users.existsBy({ email })) throw new CliError(`An admin user with email ${email} already exists`);
        const created = await users.save({ email, role: options.role as 'admin' | 'viewer', passwordHash: await hashPassword(password) });
        await dataSource.getRepository(AuditLogEntity).insert({
          actorType: 'cli',
          actorLabel: 'fieldcast admin create',
          action: 'admin.create',
          targetType: 'admin_user',
          targetId: created.id,
          details: { email, role: created.role },
        });
        return created;
      });
      print(options, { id: user.id, email: user.email, role: user.role }, () => `Created ${user.role} ${user.email} (id ${user.id}).`);
    });
}
