// Headless Chromium on a URL (test/support/chromium.ts renders files): a screenshot and the
// DOM after rendering, as a person's browser would have it. One browser for the test file,
// a fresh page per look (puppeteer-core drives the machine's Chromium over the DevTools
// protocol): a launch per screenshot cost ~2 s of the file's time each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../support/chromium.ts';

let running: { browser: Promise<Browser>; profile: string } | undefined;

function browser(): Promise<Browser> {
  if (!running) {
    const bin = chromiumPath();
    if (!bin) throw new Error('chromium is not installed (apt-get install chromium fonts-noto-cjk)');
    const profile = mkdtempSync(join(tmpdir(), 'nw-chromium-'));
    running = {
      profile,
      // puppeteer adds its own headless flag
      browser: puppeteer.launch({ executablePath: bin, headless: true, userDataDir: profile, args: CHROMIUM_FLAGS.filter((f) => f !== '--headless') }),
    };
  }
  return running.browser;
}

/** Closes the browser, if one was started. */
export async function closeBrowser(): Promise<void> {
  if (!running) return;
  const { browser: b, profile } = running;
  running = undefined;
  await (await b).close();
  rmSync(profile, { recursive: true, force: true });
}

/** `url` loaded in a new page of `width` x `height`; the page is closed after `look`. */
async function onPage<T>(url: string, width: number, height: number, look: (page: Page) => Promise<T>): Promise<T> {
  const page = await (await browser()).newPage();
  try {
    await page.setViewport({ width, height });
    await page.goto(url, { waitUntil: 'load' });
    return await look(page);
  } finally {
    await page.close();
  }
}

/** Screenshot `url` at `width` x `height` into `png`; resolves with the DOM the page rendered (one load for both). */
export async function screenshotUrl(url: string, png: string, width: number, height = 1600): Promise<string> {
  return onPage(url, width, height, async (page) => {
    await page.screenshot({ path: png as `${string}.png` });
    return page.content();
  });
}
