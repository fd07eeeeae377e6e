// What a bundled receiver weighs (#16: catalogs add nothing at run time; the name lists only
// where imported). esbuild, minified, ESM, platform node, everything bundled (zod included),
// over the built package: run `npm run build` first.
//   node scripts/measure-bundle.mjs [dist directory, default ./dist]
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'dist');
const receiver = (provider, extra = '') => `
import { createReceiver, providers } from '${dist}/index.js';
import { fetchHandler } from '${dist}/fetch.js';
${extra}
const receiver = createReceiver({ provider: providers.${provider}${extra ? ', knownEvents: names' : ''} });
receiver.on('invoice.paid', () => undefined);
export default { fetch: fetchHandler(receiver) };
`;
const entries = {
  'fetch receiver, github preset': receiver("github({ secret: 's' })"),
  'fetch receiver, stripe preset': receiver("stripe({ secret: 'whsec_s' })"),
  '  + knownEvents: githubEventNames': receiver("github({ secret: 's' })", `import { githubEventNames as names } from '${dist}/catalogs.js';`),
  '  + knownEvents: stripeEventNames': receiver("stripe({ secret: 'whsec_s' })", `import { stripeEventNames as names } from '${dist}/catalogs.js';`),
};
for (const [name, contents] of Object.entries(entries)) {
  if (name.startsWith('  +') && !(await exists(`${dist}/catalogs.js`))) continue;
  const result = await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const bytes = result.outputFiles[0].contents;
  console.log(`${name}: ${bytes.byteLength} B minified, ${gzipSync(bytes).byteLength} B gzip`);
}

async function exists(path) {
  const { access } = await import('node:fs/promises');
  return access(path).then(() => true, () => false);
}
