import { flag, type Parsed } from '../args.js';
import { post, signDelivery, tampered, type SignOptions } from '../deliver.js';
import type { Exchange, Expectation } from '../report.js';
import { UsageError } from '../usage-error.js';

export const VARIANT_OPTIONS = {
  duplicate: { type: 'boolean' },
  stale: { type: 'boolean' },
  tamper: { type: 'boolean' },
} as const;

/** Signs and sends once, or as the chosen variant: the same delivery twice, a stale one, or one changed after signing. */
export async function sendVariant(parsed: Parsed, options: SignOptions, label: string): Promise<{ exchanges: Exchange[]; expectation: Expectation }> {
  const chosen = (['duplicate', 'stale', 'tamper'] as const).filter((name) => flag(parsed, name));
  if (chosen.length > 1) throw new UsageError(`Choose one of --duplicate, --stale, --tamper (got ${chosen.map((c) => `--${c}`).join(' ')}).`);
  const variant = chosen[0];
  if (variant === 'stale') {
    if (!options.preset.timestamped) throw new UsageError(`${options.preset.name} signs no timestamp, so a stale delivery cannot be told from a fresh one: use --duplicate (receivers stop replays by delivery id).`);
    const window = options.provider.toleranceSeconds ?? 300;
    const request = signDelivery({ ...options, timestamp: Math.floor(Date.now() / 1000) - window - 60 });
    return { exchanges: [{ label: `${label} (stale: ${window + 60} s old)`, request, answer: await post(request) }], expectation: 'reject' };
  }
  const request = signDelivery(options);
  if (variant === 'tamper') {
    const forged = tampered(request);
    return { exchanges: [{ label: `${label} (tampered: one byte changed after signing)`, request: forged, answer: await post(forged) }], expectation: 'reject' };
  }
  const first: Exchange = { label, request, answer: await post(request) };
  if (variant !== 'duplicate') return { exchanges: [first], expectation: 'accept' };
  return { exchanges: [first, { label: `${label} (duplicate: same id and signature)`, request, answer: await post(request) }], expectation: 'accept' };
}
