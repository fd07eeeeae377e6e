/**
 * `Catalog`, or `undefined` (no catalog) when `Source` — a type imported from the sender's types
 * package — is `any`: that is what a failed import becomes when the package is not installed (with
 * `skipLibCheck`, silently). The preset then stays untyped instead of accepting every name with
 * `any` payloads.
 */
export type IfInstalled<Source, Catalog> = 0 extends 1 & Source ? undefined : Catalog;
