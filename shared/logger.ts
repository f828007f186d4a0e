import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Field names that could carry secrets are redacted at
 * the logger, so a careless `log.info({ credentials })` still leaks nothing.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL || 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['*.clientSecret', '*.client_secret', '*.privateKey', '*.private_key', '*.serviceAccountKey', '*.password', '*.token', '*.access_token', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
