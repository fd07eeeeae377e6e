/** Structured context of a log line: provider, event type, delivery id… (never a secret or a signature). */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * The common logger shape (console, pino, winston, bunyan): hookguard calls `logger.warn(message,
 * fields)`, the message complete on its own, the fields for loggers that keep them.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const silent = (): void => {};

/** `false`: nothing is logged. */
const SILENT: Logger = { debug: silent, info: silent, warn: silent, error: silent };

/**
 * The default: silent, except warnings, which only a misconfiguration raises (a handler that
 * can never run), to `console.warn` with the message alone.
 */
const DEFAULT: Logger = { debug: silent, info: silent, warn: (message) => console.warn(message), error: silent };

/** The logger a receiver writes to: the user's, none (`false`), or the default. */
export function resolveLogger(option: Logger | false | undefined): Logger {
  if (option === false) return SILENT;
  return option ?? DEFAULT;
}
