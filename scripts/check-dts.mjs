// The built .d.ts of every entry an edge or browser-typed project imports must compile with no
// @types/node and no skipLibCheck (#15): `types: []`, lib ES2022 + DOM, as ESM and as CJS.
// Errors inside other packages' declarations are not counted (see below).
// Node-only entries (node, express, fastify, redis, queue) are left out: their users have @types/node.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = ['hookguard', 'hookguard/fetch', 'hookguard/lambda', 'hookguard/providers', 'hookguard/testing', 'hookguard/tweetnacl'];
const dir = mkdtempSync(join(tmpdir(), 'hookguard-dts-'));
try {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'hookguard'), 'dir');
  writeFileSync(join(dir, 'consumer.ts'), entries.map((entry, i) => `import * as e${i} from '${entry}';\nexport { e${i} };`).join('\n') + '\n');
  const compilerOptions = { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
  for (const type of ['commonjs', 'module']) {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
    const errors = compileErrors(join(dir, 'tsconfig.json'));
    // Another package's own declarations (a catalog's types package needing its own optional
    // peers) are that package's business; any error in hookguard's files or the consumer fails.
    const ours = errors.filter((line) => !/node_modules\/(?!hookguard\/)/.test(line));
    if (ours.length > 0) {
      console.error(ours.join('\n'));
      process.exit(1);
    }
    console.log(`check-dts: ${entries.join(', ')} compile as ${type === 'module' ? 'ESM' : 'CJS'} with types: [] and no skipLibCheck`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The `error TS…` lines tsc prints for a project (none when it compiles). */
function compileErrors(project) {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' });
    return [];
  } catch (error) {
    const lines = String(error.stdout ?? '').split('\n').filter((line) => line.includes('error TS'));
    if (lines.length === 0) throw error;
    return lines;
  }
}
