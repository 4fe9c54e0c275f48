/**
 * The one validated configuration of Fieldcast. This module is the only reader of process.env;
 * everything else receives a typed FieldcastConfig. Every variable is documented in the README.
 */
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (name: string) =>
  z.coerce
    .number({ message: `expected a TCP port number (1-65535) for ${name}` })
    .int({ message: 'expected a whole number' })
    .min(1, { message: 'expected a TCP port number between 1 and 65535' })
    .max(65535, { message: 'expected a TCP port number between 1 and 65535' });

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}, 'expected a PostgreSQL URL like postgres://user:password@host:5432/database');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'expected development, production or test' }).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port('PORT').default(3000),
  /** Public base URL of this instance (OAuth redirect URIs, webhook URLs); defaults to http://HOST:PORT. */
  FIELDCAST_PUBLIC_URL: z.url({ message: 'expected an absolute URL like https://fieldcast.example.com' }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  FIELDCAST_DATA_DIR: z.string().min(1).default('./.data'),
  FIELDCAST_EMBEDDED_PG_PORT: port('FIELDCAST_EMBEDDED_PG_PORT').default(54329),
  FIELDCAST_MIGRATE_ON_START: booleanFromEnv.default(true),
  FIELDCAST_DEMO: z.enum(['auto', 'true', 'false'], { message: 'expected auto, true or false' }).default('auto'),
  FIELDCAST_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,88}$/, 'expected 32 random bytes, base64 encoded (generate one with: openssl rand -base64 32)')
    .optional(),
  /**
   * Keys that only decrypt, during a key rotation (comma-separated, base64, 32 bytes each): set the new
   * key as FIELDCAST_SECRET_KEY and the old one here, restart the processes one by one, run
   * `fieldcast keys rotate`, then remove this variable.
   */
  FIELDCAST_SECRET_KEY_PREVIOUS: z
    .string()
    .refine(
      (value) =>
        value.split(',').every((key) => /^[A-Za-z0-9+/=_-]{43,88}$/.test(key.trim()) && Buffer.from(key.trim(), 'base64').length === 32),
      'expected one or more keys of 32 random bytes, base64 encoded, separated by commas (the FIELDCAST_SECRET_KEY values being rotated out)',
    )
    .transform((value) =>
      value
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .optional(),
  FIELDCAST_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  FIELDCAST_RUN_HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SANDBOX_SALESFORCE_PORT: port('SANDBOX_SALESFORCE_PORT').default(4101),
  SANDBOX_HUBSPOT_PORT: port('SANDBOX_HUBSPOT_PORT').default(4102),
  SANDBOX_ZENDESK_PORT: port('SANDBOX_ZENDESK_PORT').default(4103),
});

export type FieldcastConfig = z.infer<typeof configSchema> & { publicUrl: string };
