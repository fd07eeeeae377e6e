import type * as OtelApi from '@opentelemetry/api';

/**
 * `@opentelemetry/api`, an optional peer: loaded lazily (never at import), and only when the
 * receiver has OpenTelemetry on. Without the package, nothing happens.
 */
export type OtelModule = typeof OtelApi;

// A variable, not a literal: bundlers must not try to resolve a package that may be absent.
const SPECIFIER = '@opentelemetry/api';
let loading: Promise<OtelModule | undefined> | undefined;
let loaded: OtelModule | undefined;

/** The api once loaded (or undefined: absent, or still loading). */
export function otelLoaded(): OtelModule | undefined {
  return loaded;
}

/** Loads the api once per process; resolves undefined when it is not installed. */
export function loadOtel(): Promise<OtelModule | undefined> {
  loading ??= import(/* webpackIgnore: true */ /* @vite-ignore */ SPECIFIER).then(
    (namespace: unknown) => {
      const module = namespace as Partial<OtelModule> & { default?: OtelModule };
      loaded = typeof module.trace === 'object' ? (module as OtelModule) : module.default;
      return loaded;
    },
    () => undefined,
  );
  return loading;
}
