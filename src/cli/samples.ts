import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** A sample delivery: the payload, and whether the sender posts it as a form. */
export interface Sample {
  event: string;
  payload: Record<string, unknown>;
  form: boolean;
}

/** In file names `/` is written `__` (Shopify's `orders/create` is `orders__create.json`); `.form.json` marks a form body. */
const FORM_SUFFIX = '.form.json';

/** The package's `samples/` folder, found from the running bin (dist/cli.js → ../samples). */
export function samplesDir(): string {
  const override = process.env.HOOKGUARD_SAMPLES_DIR;
  if (override !== undefined && override !== '') return override;
  const script = process.argv[1] ?? '';
  let dir = dirname(existsSync(script) ? realpathSync(script) : script);
  for (let i = 0; i < 3; i += 1, dir = dirname(dir)) {
    if (existsSync(join(dir, 'samples'))) return join(dir, 'samples');
  }
  return resolve('samples');
}

export function sampleEvents(preset: string, dir = samplesDir()): string[] {
  const folder = join(dir, preset);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => eventOf(file))
    .sort();
}

export function loadSample(preset: string, event: string, dir = samplesDir()): Sample {
  const events = sampleEvents(preset, dir);
  if (events.length === 0) throw new UsageError(`No samples for ${preset}; use \`hookguard send ${preset} --data file.json\` with your own payload.`);
  if (!events.includes(event)) throw new UsageError(`No ${preset} sample for ${JSON.stringify(event)}. Samples: ${events.join(', ')}.`);
  const base = event.replaceAll('/', '__');
  const form = existsSync(join(dir, preset, base + FORM_SUFFIX));
  const file = join(dir, preset, form ? base + FORM_SUFFIX : `${base}.json`);
  return { event, payload: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, form };
}

function eventOf(file: string): string {
  const base = file.endsWith(FORM_SUFFIX) ? file.slice(0, -FORM_SUFFIX.length) : file.slice(0, -'.json'.length);
  return base.replaceAll('__', '/');
}
