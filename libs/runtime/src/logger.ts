/**
 * Structured logs (pino). Secrets are redacted by key wherever they appear, so a credential that
 * slips into a log call's details is still never written.
 */
import pino, { type Logger } from 'pino';

export const REDACTED_KEYS = [
  'password',
  'passwordHash',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'token',
  'apiKey',
  'clientSecret',
  'client_secret',
  'secret',
  'signingSecret',
  'authorization',
  'cookie',
  'secretsCiphertext',
];

export type FieldcastLogger = Logger;

export function createLogger(options: { level?: string; name?: string; pretty?: boolean } = {}): FieldcastLogger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `headers["${key}"]`, `req.headers.${key}`]);
  return pino({
    name: options.name ?? 'fieldcast',
    level: options.level ?? 'info',
    redact: { paths, censor: '[redacted]' },
    ...(options.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
