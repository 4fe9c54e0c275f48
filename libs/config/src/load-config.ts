import { configSchema, type FieldcastConfig } from './config.schema';

/** One problem per line: the variable, the value it had, and what is expected. */
export class ConfigError extends Error {
  constructor(readonly problems: Array<{ variable: string; value: string | undefined; expected: string }>) {
    const lines = problems.map(
      (p) => `${p.variable}=${p.value === undefined ? '(unset)' : JSON.stringify(redact(p.variable, p.value))}: ${p.expected}`,
    );
    // One problem fits on one line; several are listed one per line.
    super(
      lines.length === 1
        ? `Invalid configuration: ${lines[0]}`
        : `Invalid configuration (${lines.length} problems):\n${lines.map((l) => `  - ${l}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const SECRET_VARIABLES = new Set(['FIELDCAST_SECRET_KEY', 'FIELDCAST_SECRET_KEY_PREVIOUS']);

function redact(variable: string, value: string): string {
  if (SECRET_VARIABLES.has(variable)) return '***';
  if (variable === 'DATABASE_URL') return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  return value;
}

/** Validates the environment (empty strings count as unset) and derives the public URL. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): FieldcastConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(config)');
      return { variable, value: input[variable], expected: issue.message };
    });
    throw new ConfigError(problems);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && !config.FIELDCAST_SECRET_KEY) {
    throw new ConfigError([
      {
        variable: 'FIELDCAST_SECRET_KEY',
        value: undefined,
        expected: 'required when NODE_ENV=production (generate one with: openssl rand -base64 32)',
      },
    ]);
  }
  const displayHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const publicUrl = (config.FIELDCAST_PUBLIC_URL ?? `http://${displayHost}:${config.PORT}`).replace(/\/$/, '');
  return { ...config, publicUrl };
}
