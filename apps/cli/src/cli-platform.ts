import { loadConfig } from '@fieldcast/config';
import { createAllConnectors } from '@fieldcast/connectors';
import { createLogger, startPlatform, type Platform } from '@fieldcast/runtime';

/**
 * Commands other than `start` open the platform briefly (as a producer: no job handling), do their
 * chore and close it. Logs go to stderr at warn level so stdout stays clean for --json.
 */
export async function withPlatform<T>(fn: (platform: Platform) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, name: 'fieldcast-cli' });
  const platform = await startPlatform({ config, log, role: 'producer', migrate: options.migrate, connectors: createAllConnectors() });
  try {
    return await fn(platform);
  } finally {
    await platform.shutdown();
  }
}
