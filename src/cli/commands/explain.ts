export async function explain(_argv: string[]): Promise<number> {
  throw new Error('not yet');
}
