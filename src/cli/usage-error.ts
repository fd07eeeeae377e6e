/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  /** The delivery was answered as a correct receiver should (or `explain`: it verifies). */
  ok: 0,
  /** The receiver's answer was not the expected one (or `explain`: it does not verify). */
  unexpected: 1,
  /** Bad command line, unknown preset or event, unreadable file. */
  usage: 2,
  /** The URL could not be reached (connection refused, DNS, timeout). */
  unreachable: 3,
} as const;

/** A mistake on the command line: printed with a hint and exit code 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
