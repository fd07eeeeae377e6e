/**
 * hookguard as users run it: the built package (dist/, ESM), which `npm run bench` builds first.
 * `HOOKGUARD_BENCH_SRC=src` loads the TypeScript sources through tsx instead (no build, but tsx
 * adds a `__name()` call per function expression, a cost the package does not have); any other
 * value is taken as a path to another copy's index (.ts/.js), to measure a change against the
 * code before it in the same run (the entries beside it are found by name).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const choice = process.env.HOOKGUARD_BENCH_SRC;
const root = new URL('../../', import.meta.url);

function entry(name: 'index' | 'express'): string {
  if (choice === 'src') return new URL(name === 'index' ? 'src/index.ts' : 'src/adapters/express.ts', root).href;
  // Another copy's index: its Express entry sits beside it (src/adapters/express.ts, dist/express.js).
  if (choice !== undefined && choice !== '') return name === 'index' ? choice : choice.replace(/index\.(ts|js)$/, choice.endsWith('.ts') ? 'adapters/express.ts' : 'express.js');
  const built = new URL(`dist/${name}.js`, root);
  if (!existsSync(fileURLToPath(built))) throw new Error(`bench: ${fileURLToPath(built)} is missing; run \`npm run build\` first (npm run bench does), or set HOOKGUARD_BENCH_SRC=src.`);
  return built.href;
}

export const hookguard = (await import(entry('index'))) as typeof import('../../src/index.js');
export const hookguardExpress = (await import(entry('express'))) as typeof import('../../src/adapters/express.js');
/** Which copy is measured, for the results' header. */
export const HOOKGUARD_SOURCE = choice === undefined || choice === '' ? 'dist/ (the built package)' : choice === 'src' ? 'src/ through tsx' : choice;
