// Browser tests of the console: a real server on a temp SQLite, a real headless Chromium (playwright-core),
// an axe-core check and screenshots into docs/console/.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.ts';

export { adminPassword } from '../support/server.ts';

const candidates = [process.env.CLOUDPLANE_TEST_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const chromiumPath = candidates.find((path): path is string => !!path && existsSync(path));

/** Why the browser tests cannot run here, or undefined; in CI a missing browser is an error, never a skip. */
export function consoleTestsSkipped(): string | undefined {
  if (chromiumPath) return undefined;
  if (process.env.CI) throw new Error('CI must install chromium: the console tests may not be skipped there');
  return 'needs Chromium (apt-get install chromium, or CLOUDPLANE_TEST_CHROMIUM=<path>); CI never skips this';
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const screenshots = join(import.meta.dirname, '../../docs/console');

export interface ConsoleSite {
  server: TestServer;
  browser: Browser;
  /** A fresh browser context (its own sessionStorage) with a page at the given size; violations are recorded. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** The address of a console path, e.g. url('/teams/web/resources'). */
  url(path?: string): string;
  /** Content-Security-Policy violations and page errors seen so far, in every page. */
  problems: string[];
  close(): Promise<void>;
}

export async function openConsole(overrides: Record<string, Record<string, unknown>> = {}): Promise<ConsoleSite> {
  const server = await startServer('sqlite', overrides);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  return {
    server,
    browser,
    problems,
    url: (path = '/') => `${server.url}/console${path}`,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await server.close();
    },
  };
}

/** Signs in through the login form and waits for the shell. */
export async function signIn(page: Page, site: ConsoleSite, username = 'admin', password?: string) {
  await page.goto(site.url('/'));
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page
    .getByLabel('Password', { exact: true })
    .fill(password ?? (await import('../support/server.ts')).adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now. axe is evaluated
 * through the DevTools protocol, which the page's CSP does not govern (an inline script would be refused).
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeSource);
  // A string: the test project has no DOM types, the page runs it.
  const found = (await page.evaluate('axe.run(document).then((result) => result.violations)')) as AxeViolation[];
  return found.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Describes violations for an assertion message. */
export const describeViolations = (violations: AxeViolation[]) =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

/** Writes docs/console/<name>.png: the README shows these pages. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true, animations: 'disabled' });
}
