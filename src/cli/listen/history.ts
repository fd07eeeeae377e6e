import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryRecord } from './record.js';

export const DEFAULT_KEEP = 200;

/**
 * The last `keep` deliveries, in memory and in `<dir>/history.json`. Every change is written back
 * (atomically, through a temporary file) a moment later, and at once on `flush()`.
 */
export class History {
  readonly file: string;
  private records: DeliveryRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private next: number;

  constructor(
    readonly dir: string,
    readonly keep = DEFAULT_KEEP,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.file = join(dir, 'history.json');
    mkdirSync(dir, { recursive: true });
    // The history holds request bodies: keep it out of the user's commits.
    const ignore = join(dir, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
    this.records = this.load();
    this.next = (this.records.at(-1)?.n ?? 0) + 1;
  }

  all(): readonly DeliveryRecord[] {
    return this.records;
  }

  get(n: number): DeliveryRecord | undefined {
    return this.records.find((record) => record.n === n);
  }

  /** A number for a delivery that has just arrived: taken at once, so concurrent deliveries never share one. */
  reserveNumber(): number {
    return this.next++;
  }

  add(record: DeliveryRecord): void {
    // Added when complete (after the app answered): keep the list ordered by number all the same.
    const at = this.records.findIndex((other) => other.n > record.n);
    if (at === -1) this.records.push(record);
    else this.records.splice(at, 0, record);
    if (this.records.length > this.keep) this.records.splice(0, this.records.length - this.keep);
    this.changed();
  }

  /** Call after changing a record in place (its forward or a replay arrived). */
  changed(): void {
    this.timer ??= setTimeout(() => this.flush(), 50);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: 1, deliveries: this.records }));
    renameSync(temporary, this.file);
  }

  private load(): DeliveryRecord[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as { version?: number; deliveries?: DeliveryRecord[] };
      if (parsed.version !== 1 || !Array.isArray(parsed.deliveries)) throw new Error('not a version 1 history');
      return parsed.deliveries.slice(-this.keep);
    } catch (error) {
      this.warn(`${this.file} could not be read (${(error as Error).message}); starting with an empty history.`);
      return [];
    }
  }
}
