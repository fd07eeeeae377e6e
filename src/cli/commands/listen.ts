export async function listen(_argv: string[]): Promise<number> {
  throw new Error('not yet');
}
