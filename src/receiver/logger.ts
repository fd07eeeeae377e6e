/** Structured context of a log line: provider, event type, delivery id… (never a secret or a signature). */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * The common logger shape (console, pino, winston, bunyan): hookguard calls `logger.warn(message,
 * fields)`, the message complete on its own, the fields for loggers that keep them. A `child`
 * (pino, winston, bunyan) gives each delivery its own logger bound to its id and type.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child?(fields: LogFields): Logger;
}

const silent = (): void => {};

/** `false`: nothing is logged. */
export const SILENT: Logger = { debug: silent, info: silent, warn: silent, error: silent };

/**
 * The default: silent, except warnings, which only a misconfiguration raises (a handler that
 * can never run), to `console.warn` with the message alone.
 */
export const DEFAULT_LOGGER: Logger = { debug: silent, info: silent, warn: (message) => console.warn(message), error: silent };

/** The logger a receiver writes to: the user's, none (`false`), or the default. */
export function resolveLogger(option: Logger | false | undefined): Logger {
  if (option === false) return SILENT;
  return option ?? DEFAULT_LOGGER;
}

/**
 * The logger a handler gets as `delivery.log`: the user's `child(fields)` where it has one,
 * else a wrapper adding the fields to every line. Silent under the default logger, whose
 * warnings are kept for hookguard's own misconfiguration messages.
 */
export function deliveryLogger(logger: Logger, fields: LogFields): Logger {
  if (logger === SILENT || logger === DEFAULT_LOGGER) return SILENT;
  if (typeof logger.child === 'function') return logger.child(fields);
  const bound = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, more?: LogFields) => logger[level](message, more === undefined ? fields : { ...fields, ...more });
  return { debug: bound('debug'), info: bound('info'), warn: bound('warn'), error: bound('error'), child: (more) => deliveryLogger(logger, { ...fields, ...more }) };
}
