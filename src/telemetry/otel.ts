import type * as OtelApi from '@opentelemetry/api';

/**
 * `@opentelemetry/api`, an optional peer: loaded on first use (never at import), and only when
 * a receiver has OpenTelemetry on. Without the package, nothing happens.
 */
export type OtelModule = typeof OtelApi;

interface NodeProcess {
  cwd(): string;
  getBuiltinModule?(id: 'module'): { createRequire(path: string): (id: string) => unknown } | undefined;
}

let loaded: OtelModule | null | undefined;

/**
 * The api, required synchronously through Node's `module.createRequire` from the application's
 * directory; undefined where it is not installed, or off Node. No `import()` expression: edge
 * bundlers (workerd's) refuse a dynamic specifier, and none may try to resolve an absent peer.
 */
export function otelLoaded(): OtelModule | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  try {
    const process = (globalThis as { process?: NodeProcess }).process;
    const require = process?.getBuiltinModule?.('module')?.createRequire(`${process.cwd()}/`);
    const module = require?.('@opentelemetry/api') as (Partial<OtelModule> & { default?: OtelModule }) | undefined;
    if (module !== undefined) loaded = typeof module.trace === 'object' ? (module as OtelModule) : (module.default ?? null);
  } catch {
    // Not installed: no spans, no metrics.
  }
  return loaded ?? undefined;
}

/** `otelLoaded()` as a promise (tests). */
export function loadOtel(): Promise<OtelModule | undefined> {
  return Promise.resolve(otelLoaded());
}
