import type { Command } from 'commander';
import { IsNull } from 'typeorm';
import { generateApiKey } from '@fieldcast/common';
import { ApiKeyEntity, AuditLogEntity } from '@fieldcast/database';
import { CliError, print, table } from '../cli-output';
import { withPlatform } from '../cli-platform';

export const SCORING_TASKS = ['lead-score', 'ticket-category', 'escalation-risk'] as const;

export function registerApiKeyCommands(program: Command): void {
  const keys = program.command('api-keys').description('Manage keys for the scoring API (POST /v1/predict/...)');
  keys
    .command('create')
    .description('Create a key; it is printed once and stored only as a hash')
    .requiredOption('--name <name>', 'what the key is for, e.g. "data warehouse"')
    .option('--scopes <tasks>', `comma-separated tasks: ${SCORING_TASKS.join(', ')}`, SCORING_TASKS.join(','))
    .option('--rate-limit <perMinute>', 'requests per minute for this key', '600')
    .option('--json', 'machine-readable output')
    .action(async (options: { name: string; scopes: string; rateLimit: string; json?: boolean }) => {
      const name = options.name.trim();
      if (!name || name.length > 100) throw new CliError('--name: expected 1 to 100 characters');
      const scopes = options.scopes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = scopes.filter((s) => !(SCORING_TASKS as readonly string[]).includes(s));
      if (unknown.length || scopes.length === 0)
        throw new CliError(
          `--scopes: unknown task(s) ${unknown.join(', ') || '(none given)'}; expected some of ${SCORING_TASKS.join(', ')}`,
        );
      const rateLimit = Number(options.rateLimit);
      if (!Number.isInteger(rateLimit) || rateLimit < 1 || rateLimit > 100_000)
        throw new CliError('--rate-limit: expected a whole number of requests per minute between 1 and 100000');
      const generated = generateApiKey();
      const saved = await withPlatform(async ({ dataSource }) => {
        const row = await dataSource
          .getRepository(ApiKeyEntity)
          .save({ name, prefix: generated.prefix, keyHash: generated.hash, scopes, rateLimitPerMinute: rateLimit, createdBy: 'cli' });
        await dataSource
          .getRepository(AuditLogEntity)
          .insert({ actorType: 'cli', action: 'api_key.create', targetType: 'api_key', targetId: row.id, details: { name, scopes } });
        return row;
      });
      print(options, { id: saved.id, name, scopes, key: generated.key }, () =>
        [
          `Created API key "${name}" (id ${saved.id}, scopes ${scopes.join(', ')}).`,
          '',
          `  ${generated.key}`,
          '',
          'Copy it now: it is shown only once.',
        ].join('\n'),
      );
    });
  keys
    .command('list')
    .description('List keys (never the keys themselves)')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const rows = await withPlatform(({ dataSource }) => dataSource.getRepository(ApiKeyEntity).find({ order: { createdAt: 'ASC' } }));
      const view = rows.map((r) => ({
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        scopes: r.scopes.join(','),
        lastUsedAt: r.lastUsedAt,
        revokedAt: r.revokedAt,
      }));
      print(options, view, () => table(view, ['id', 'name', 'prefix', 'scopes', 'lastUsedAt', 'revokedAt']));
    });
  keys
    .command('revoke <id>')
    .description('Revoke a key: it stops working at once')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { json?: boolean }) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new CliError(`"${id}" is not a key id (see fieldcast api-keys list)`);
      await withPlatform(async ({ dataSource }) => {
        const result = await dataSource.getRepository(ApiKeyEntity).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
        if (!result.affected) throw new CliError(`No active API key with id ${id}`);
        await dataSource
          .getRepository(AuditLogEntity)
          .insert({ actorType: 'cli', action: 'api_key.revoke', targetType: 'api_key', targetId: id });
      });
      print(options, { id, revoked: true }, () => `Revoked API key ${id}.`);
    });
}
