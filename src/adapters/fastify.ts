import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReceiveResult } from '../core/types.js';
import type { EventSchemas, Receiver } from '../receiver/types.js';
import { answerRequest } from './answer.js';
import { drain, readNodeBody, type NodeBodyRequest } from './node-body.js';

export interface HookguardFastifyOptions<E extends EventSchemas | undefined = EventSchemas | undefined> {
  receiver: Receiver<E>;
  /** The route's path, e.g. `/webhooks/stripe` (under the `prefix` it is registered with, if any). */
  path: string;
}

/** In Fastify the body is gone only when something outside the plugin's own context read it. */
export const FASTIFY_CONSUMED =
  "The request body was already read before hookguard's route handler ran, so the raw bytes the signature covers are " +
  "gone. Register hookguard's fastifyPlugin in its own encapsulated context (app.register(fastifyPlugin, { receiver, path })) " +
  "— not wrapped in fastify-plugin — and don't add a content-type parser, `fastify-raw-body` or a hook that reads " +
  'request.raw (onRequest/preParsing/preHandler) for its route.';

/** Where the plugin keeps a request's Content-Type while Fastify's own content-type check is kept away from it. */
const CONTENT_TYPE = Symbol('hookguard.contentType');

type RawRequest = NodeBodyRequest & { [CONTENT_TYPE]?: string | undefined };

/**
 * A Fastify plugin answering every method on `path` (POST is verified; anything else gets 405
 * with `Allow: POST`). It is encapsulated on purpose — never wrap it in `fastify-plugin` — so its
 * content-type handling stays inside its own context and the rest of the app keeps its JSON
 * parser. On its route Fastify reads nothing: any Content-Type, or none, reaches the receiver,
 * and `receiver.maxBodyBytes` (not Fastify's `bodyLimit`) decides the body limit, while streaming.
 *
 * @example
 * import Fastify from 'fastify';
 * import { fastifyPlugin } from 'hookguard/fastify';
 *
 * const app = Fastify();
 * app.register(fastifyPlugin, { receiver, path: '/webhooks' }); // the rest of `app` keeps its parsers
 * await app.listen({ port: 3000 });
 */
export async function fastifyPlugin<E extends EventSchemas | undefined>(app: FastifyInstance, options: HookguardFastifyOptions<E>): Promise<void> {
  const { receiver, path } = options;
  // Fastify refuses a malformed Content-Type (415) before any parser runs, and a QUERY without
  // one (400); set it aside so the receiver, like every other adapter, is what decides.
  app.addHook('onRequest', (request, _reply, done) => {
    const raw = request.raw as RawRequest;
    if (request.method !== 'QUERY' && raw.headers['content-type'] !== undefined) {
      raw[CONTENT_TYPE] = raw.headers['content-type'];
      delete raw.headers['content-type'];
    }
    done();
  });
  // Within this context only: one parser for every type, which leaves the stream unread.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request: FastifyRequest, _payload: unknown, done: (error: Error | null, body?: unknown) => void) => {
    done(null, undefined);
  });
  app.all(path, async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await answer(receiver, request);
    reply.code(result.status).headers(result.headers);
    return reply.send(result.body);
  });
}

function answer<E extends EventSchemas | undefined>(receiver: Receiver<E>, request: FastifyRequest): Promise<ReceiveResult> {
  const raw = request.raw as RawRequest;
  if (CONTENT_TYPE in raw) {
    raw.headers['content-type'] = raw[CONTENT_TYPE];
    delete raw[CONTENT_TYPE];
  }
  return answerRequest(receiver, { method: request.method, url: request.url, headers: raw.headers }, (limits) =>
    readNodeBody(raw, { limits, consumedMessage: FASTIFY_CONSUMED }),
  ).finally(() => drain(raw));
}

export default fastifyPlugin;
