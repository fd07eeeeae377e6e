/**
 * An imported key (node:crypto's `KeyObject`), described structurally so that the public types
 * compile without @types/node — a user's edge or browser-typed project has no `node:crypto`.
 */
export interface KeyHandle {
  readonly type: 'secret' | 'public' | 'private';
}
