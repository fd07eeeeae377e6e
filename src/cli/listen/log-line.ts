import { dim, green, red } from '../output.js';
import type { DeliveryRecord } from './record.js';

/** One terminal line per delivery or replay. */
export function logLine(record: DeliveryRecord, change: 'delivery' | 'replay'): string {
  const time = record.receivedAt.slice(11, 19);
  const what = [record.method, record.path, record.type].filter(Boolean).join(' ');
  if (change === 'replay') {
    const last = record.replays.at(-1);
    return `#${record.n} replayed (${last?.mode}) → ${last?.status !== undefined ? `app ${last.status} (${last.ms} ms)` : red(last?.error ?? 'failed')}`;
  }
  const verdict = record.verdict === 'verified' ? green('✓ verified') : red(`✗ ${record.code}`);
  const forward = record.forwarded
    ? record.forwarded.status !== undefined
      ? `→ app ${record.forwarded.status} (${record.forwarded.ms} ms)`
      : red(`→ ${record.forwarded.error}`)
    : dim(`(not forwarded: ${record.notForwarded})`);
  return `#${record.n} ${dim(time)} ${what} ${verdict} ${forward}`;
}
