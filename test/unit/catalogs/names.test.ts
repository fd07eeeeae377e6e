import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clerkEventNames, discordEventNames, githubEventNames, slackEventNames, stripeEventNames } from '../../../src/catalogs/names/index.js';

describe('hookguard/catalogs: run-time event names (#16 item 3)', () => {
  it('the generated files match the installed types packages (npx tsx scripts/generate-catalogs.ts --check)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-catalogs.ts', '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/^checked 6 files \(0 stale\)/);
  }, 60_000);

  it.each([
    ['github', githubEventNames, ['issues', 'issues.opened', 'push', 'check_run.requested_action', 'workflow_run.completed'], ['issues.opend', 'issues/opened', '*', '']],
    ['stripe', stripeEventNames, ['invoice.paid', 'charge.refunded', 'customer.subscription.deleted'], ['invoice', 'invoice.payed']],
    ['slack', slackEventNames, ['app_mention', 'message', 'block_actions', 'view_submission', '/deploy'], ['/', 'event_callback', 'url_verification']],
    ['discord', discordEventNames, ['APPLICATION_COMMAND', 'APPLICATION_AUTHORIZED', 'ENTITLEMENT_CREATE'], ['PING', 'application_command']],
    ['clerk', clerkEventNames, ['user.created', 'session.ended', 'organization.updated'], ['user', 'user.create']],
  ])('%s: knows %j, not %j', (_sender, names, known, unknown) => {
    for (const name of known) expect(names.has(name as string), name as string).toBe(true);
    for (const name of unknown) expect(names.has(name as string), name as string).toBe(false);
  });
});
