#!/usr/bin/env node
import { isWebhookError } from '../core/errors.js';
import { explain } from './commands/explain.js';
import { listen } from './commands/listen.js';
import { send } from './commands/send.js';
import { trigger } from './commands/trigger.js';
import { Unreachable } from './deliver.js';
import { red } from './output.js';
import { EXIT, UsageError } from './usage-error.js';

const HELP = `Usage: hookguard <command> [options]

Commands:
  trigger <preset> <event>   send a realistic, correctly signed sample delivery
  send <preset>              sign and send your own payload
  explain <preset>           say why a captured request does (not) verify
  listen --preset <preset>   a local receiver with a live inspector page, forwarding and replay

Run \`hookguard <command> --help\` for a command's options.
Exit codes: 0 success, 1 unexpected answer / does not verify, 2 usage error, 3 unreachable.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  trigger,
  send,
  explain,
  listen,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`Unknown command ${JSON.stringify(name)}.\n\n${HELP}`);
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (isWebhookError(error) && error.code === 'misconfigured')) {
      process.stderr.write(`${red('error:')} ${(error as Error).message}\n`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof Unreachable) {
      process.stderr.write(`${red('error:')} ${error.message}\n`);
      process.exitCode = EXIT.unreachable;
    } else {
      process.stderr.write(`${red('error:')} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
