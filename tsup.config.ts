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
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
