import { Buffer } from 'node:buffer';

/** A secret as the sender may really have used it, and what the user must change. */
export interface SecretVariant {
  /** 1-based position of the --secret it came from. */
  index: number;
  secret: string | Uint8Array;
  cause?: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Each --secret as given, then the mistakes people make with it: the `whsec_` prefix added or
 * dropped, base64 decoded where the sender uses the text, or the text used where the sender decodes it.
 */
export function secretVariants(secrets: readonly string[], format: 'whsec' | 'utf8'): SecretVariant[] {
  const variants: SecretVariant[] = secrets.map((secret, n) => ({ index: n + 1, secret }));
  secrets.forEach((secret, n) => {
    const index = n + 1;
    const bare = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
    if (format === 'whsec') {
      variants.push({ index, secret: Buffer.from(secret, 'utf8'), cause: `Secret #${index} verifies only when its text (UTF-8${secret.startsWith('whsec_') ? ', whsec_ prefix included' : ''}) is the HMAC key: the sender did not base64-decode it as Standard Webhooks requires. Fix the sender's signing code, or use a preset that takes the secret as text.` });
      if (bare !== secret) variants.push({ index, secret: Buffer.from(bare, 'utf8'), cause: `Secret #${index} verifies only when the text after whsec_ is the HMAC key as is: the sender did not base64-decode it as Standard Webhooks requires.` });
      return;
    }
    if (secret.startsWith('whsec_')) variants.push({ index, secret: bare, cause: `Secret #${index} verifies without its whsec_ prefix: this sender signs with the part after whsec_. Pass the secret without the prefix.` });
    else variants.push({ index, secret: `whsec_${secret}`, cause: `Secret #${index} verifies with a whsec_ prefix: the sender signs with the whole string as its dashboard shows it (Stripe does), prefix included. Pass it with the prefix.` });
    if (BASE64.test(bare) && bare.length % 4 !== 1) {
      const decoded = Buffer.from(bare, 'base64');
      if (decoded.length > 0) variants.push({ index, secret: decoded, cause: `Secret #${index} verifies only base64-decoded: the sender uses the decoded bytes as the key. Pass the decoded key (or a preset that decodes it).` });
    }
    if (/^(?:[0-9a-f]{2})+$/i.test(bare)) variants.push({ index, secret: Buffer.from(bare, 'hex'), cause: `Secret #${index} verifies only hex-decoded: the sender uses the decoded bytes as the key.` });
  });
  return variants;
}
