import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { readNodeBody } from './node-body.js';

export interface FastifyPluginOptions<E extends EventSchemas | undefined = EventSchemas | undefined> {
  receiver: Receiver<E>;
  /** The route's path, e.g. `/webhooks/stripe`. */
  path: string;
}

const EMPTY = new Uint8Array(0);

/**
 * A Fastify plugin registering one route at `path` for every method. Its content-type parser
 * leaves the body unread, and is scoped to this plugin (no `fastify-plugin` wrapper), so the rest
 * of the app keeps its JSON parser.
 *
 * @example
 * app.register(fastifyPlugin, { receiver, path: '/webhooks' });
 */
export async function fastifyPlugin(app: FastifyInstance, options: FastifyPluginOptions): Promise<void> {
  const { receiver, path } = options;
  app.removeAllContentTypeParsers();
  // Leave the stream untouched: hookguard reads the raw bytes itself, with its own limit and decoding.
  app.addContentTypeParser('*', (_request: FastifyRequest, _payload: unknown, done: (error: Error | null, body?: unknown) => void) => {
    done(null, undefined);
  });
  app.all(path, async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await answer(receiver, request);
    reply.code(result.status).headers(result.headers);
    return reply.send(result.body);
  });
}

async function answer(receiver: Receiver<EventSchemas | undefined>, request: FastifyRequest): Promise<ReceiveResult> {
  const input = { method: request.method, url: request.url, headers: request.headers };
  if (request.method !== 'POST') return receiver.receive({ ...input, body: EMPTY });
  let body: Buffer;
  try {
    body = await readNodeBody(request.raw, receiver.maxBodyBytes);
  } catch (error) {
    return receiver.fail(error);
  }
  return receiver.receive({ ...input, body });
}

export default fastifyPlugin;
