/**
 * An AWS Lambda handler behind API Gateway (REST API with Lambda proxy integration, or HTTP API)
 * or a Lambda function URL. Deploy with `handler` as the entry point; for a REST API, add `*\/*` to
 * the binary media types so every body arrives base64-encoded and byte-exact.
 *
 * Run it locally with a signed sample HTTP API event:  npx tsx examples/lambda-handler.ts
 */
import { pathToFileURL } from 'node:url';
import { lambdaHandler, type LambdaHttpEvent } from 'hookguard/lambda';
import { signRequest } from 'hookguard/testing';
import { provider, receiver } from './receiver.js';

export const handler = lambdaHandler(receiver);

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { headers, body } = signRequest(provider, { type: 'invoice.paid', data: { id: 'in_lambda', amount: 4200, currency: 'EUR' } });
  const event: LambdaHttpEvent = {
    version: '2.0',
    rawPath: '/webhooks',
    rawQueryString: '',
    headers: { ...headers, host: 'abcdefg.lambda-url.eu-west-1.on.aws' },
    requestContext: { domainName: 'abcdefg.lambda-url.eu-west-1.on.aws', http: { method: 'POST', path: '/webhooks' } },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  };
  console.log('signed event →', await handler(event));
  console.log('same again   →', await handler(event));
  console.log('tampered     →', await handler({ ...event, body: Buffer.from('{"type":"invoice.paid"}').toString('base64') }));
}
