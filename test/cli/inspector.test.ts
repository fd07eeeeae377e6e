import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/index.js';
import { startApp, type TestApp } from './helpers/app.js';
import { ROOT, ensureBuilt, runCli } from './helpers/cli.js';
import { startListen, type RunningListen } from './helpers/listen.js';

/** Debian's chromium (scripts/ensure-chromium.mjs installs it before npm test); never skipped. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SECRET = 'whsec_inspector_test_41b7';
/** HOOKGUARD_SCREENSHOT=1 npx vitest run test/cli/inspector.test.ts refreshes the README's picture. */
const SCREENSHOT = process.env.HOOKGUARD_SCREENSHOT === '1' ? join(ROOT, 'docs/images/inspector.png') : join(mkdtempSync(join(tmpdir(), 'hookguard-shot-')), 'inspector.png');

describe('the inspector page in headless Chromium', () => {
  let app: TestApp;
  let listen: RunningListen;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureBuilt();
    app = await startApp(providers.stripe({ secret: SECRET }));
    listen = await startListen(['--preset', 'stripe', '--secret', SECRET, '--forward', app.url, '--dir', mkdtempSync(join(tmpdir(), 'hookguard-inspector-'))]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${listen.origin}/`);
    await page.locator('#live.on').waitFor();
    // A reload would clear this: its survival proves the updates arrived live.
    await page.evaluate(() => Object.assign(globalThis, { loadedOnce: true }));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await listen?.stop();
    await app?.close();
  });

  it('a delivery triggered from the CLI appears without a reload, verified, with the app’s answer', async () => {
    expect((await runCli(['trigger', 'stripe', 'invoice.paid', '--url', listen.url, '--secret', SECRET])).code).toBe(0);
    const row = page.locator('[data-testid=delivery][data-n="1"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-testid=verdict]').textContent()).toBe('verified');
    expect(await row.textContent()).toContain('invoice.paid');
    expect(await page.locator('[data-testid=forwarded]').textContent()).toMatch(/^200 in \d+ ms/);
    expect(await page.locator('[data-testid=payload]').textContent()).toContain('"type": "invoice.paid"');
    expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  });

  it('a forged delivery shows its error code, and is not forwarded', async () => {
    expect((await runCli(['trigger', 'stripe', 'invoice.paid', '--url', listen.url, '--secret', SECRET, '--tamper'])).code).toBe(0);
    const row = page.locator('[data-testid=delivery][data-n="2"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-testid=verdict]').textContent()).toBe('signature_mismatch');
    await row.click();
    expect(await page.locator('[data-testid=message]').textContent()).toMatch(/^signature_mismatch: /);
    expect(await page.locator('[data-testid=forwarded]').textContent()).toContain('not forwarded');
    expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  });

  it('clicking Replay re-sends the delivery to the app, and the page shows the app’s answer', async () => {
    await page.locator('[data-testid=delivery][data-n="1"]').click();
    const before = app.requests.length;
    await page.locator('[data-testid=replay-resigned]').click();
    await expect.poll(() => app.requests.length).toBe(before + 1);
    await expect.poll(() => page.locator('[data-testid=replay]').count()).toBe(1);
    expect(await page.locator('[data-testid=replay]').textContent()).toMatch(/re-signed → 200 in \d+ ms/);
    await expect.poll(() => page.locator('[data-testid=notice]').textContent()).toContain('your app answered 200');
    expect(await page.content()).not.toContain(SECRET);
    await page.screenshot({ path: SCREENSHOT });
  });
});
