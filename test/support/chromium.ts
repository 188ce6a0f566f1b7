import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';

const run = promisify(execFile);

/** Debian's chromium package puts its launcher here. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** CHROMIUM_PATH points the tests at another Chromium (never installed for you). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;

/**
 * Without the background-networking flags Chromium keeps trying to reach
 * Google services; on a closed network each attempt waits for a timeout and
 * pages become slow to load.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Makes sure a Chromium exists without downloading a browser build at run
 * time: when Debian's `chromium` package is missing it is installed through
 * apt (CI runs as root on a fresh Debian machine). Anywhere else the error
 * says what to install. Asynchronous, so services started meanwhile keep
 * being served while apt runs.
 */
export async function ensureChromium(): Promise<string> {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (CHROMIUM_PATH !== DEBIAN_CHROMIUM || !isRoot() || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's \`chromium\` package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const deadline = Date.now() + 540_000;
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium']]) {
    for (;;) {
      try {
        // Waits for dpkg's lock rather than failing on it; apt-get update's lists lock has no such option, hence the retries.
        await run('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], { env, maxBuffer: 64 * 1024 * 1024, timeout: Math.max(1_000, deadline - Date.now()) });
        break;
      } catch (error) {
        const failed = error as Error & { stderr?: string };
        // Another suite on this machine (a second clone's npm test) is installing it at the same time.
        if (/Could not get lock|Unable to lock/.test(failed.stderr ?? '') && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
          continue;
        }
        throw new Error(`apt-get ${args.join(' ')} failed: ${failed.stderr || failed.message}`);
      }
    }
  }
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}

export interface TestBrowser {
  /** One browser context: every page opened from it is a fresh tab (own sessionStorage). */
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * One headless Chromium with a fresh profile (--user-data-dir, which
 * playwright sets through launchPersistentContext), removed again on close.
 */
export async function launchChromium(): Promise<TestBrowser> {
  const executablePath = await ensureChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: FLAGS, timeout: 60_000 });
    return {
      context,
      async close() {
        await context.close();
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
