import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    express: 'src/adapters/express.ts',
    node: 'src/adapters/node.ts',
    fetch: 'src/adapters/fetch.ts',
    fastify: 'src/adapters/fastify.ts',
    lambda: 'src/adapters/lambda.ts',
    testing: 'src/testing/index.ts',
    redis: 'src/stores/redis.ts',
    queue: 'src/queue/index.ts',
    providers: 'src/providers/index.ts',
    tweetnacl: 'src/crypto/tweetnacl.ts',
    postgres: 'src/postgres/index.ts',
    catalogs: 'src/catalogs/names/index.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // Keep `node:` prefixes: neutral and edge bundlers resolve only the prefixed names.
  removeNodeProtocol: false,
});
