import { Buffer } from 'node:buffer';
import { passableHeaders } from './exchange.js';
import { bodyOf, type DeliveryRecord } from './record.js';

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The delivery as a `curl` command that sends the same bytes and headers to `url`. The signature
 * is the one received: a receiver with a replay window refuses it once the timestamp is stale.
 */
export function curlCommand(record: DeliveryRecord, url: string): string {
  const body = bodyOf(record);
  const headers = passableHeaders(record.headers).map(([name, value]) => `  -H ${quote(`${name}: ${value}`)} \\\n`);
  const text = body.toString('utf8');
  // Text that survives a round trip goes inline; anything else (binary, gzip) through base64 so no byte changes.
  if (Buffer.from(text, 'utf8').equals(body) && !text.includes('\0')) {
    return `curl -X ${record.method} ${quote(url)} \\\n${headers.join('')}  --data-binary ${quote(text)}\n`;
  }
  return `printf %s ${quote(body.toString('base64'))} | base64 -d | curl -X ${record.method} ${quote(url)} \\\n${headers.join('')}  --data-binary @-\n`;
}
