import type { HeadersLike } from '../core/types.js';
import type { Provider } from './types.js';

/**
 * The same provider, whose refusals from `precheck` and `verify` pass through `hint` (which adds
 * what the request shows about the cause): the header checks run in `precheck` before the body
 * is read, so a hint on `verify` alone would never be seen by a receiver.
 */
export function withErrorHint<P extends Provider>(provider: P, hint: (error: unknown, headers: HeadersLike) => unknown): P {
  const { verify, precheck } = provider;
  const hinted: P = {
    ...provider,
    verify(input) {
      try {
        return verify(input);
      } catch (error) {
        throw hint(error, input.headers);
      }
    },
  };
  if (precheck !== undefined) {
    hinted.precheck = (input) => {
      try {
        precheck(input);
      } catch (error) {
        throw hint(error, input.headers);
      }
    };
  }
  return hinted;
}
