// Headless Chromium on a URL (test/support/chromium.ts renders files): a screenshot, or the
// DOM after rendering, as a person's browser would have it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, chromiumPath } from '../../support/chromium.ts';

function chromium(args: string[]): Promise<string> {
  const bin = chromiumPath();
  if (!bin) throw new Error('chromium is not installed (apt-get install chromium fonts-noto-cjk)');
  const profile = mkdtempSync(join(tmpdir(), 'nw-chromium-'));
  return new Promise<string>((resolve, reject) => {
    execFile(bin, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args], { timeout: 150_000, maxBuffer: 20 * 1024 * 1024 }, (err, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Screenshot `url` at `width` x `height` into `png`. */
export async function screenshotUrl(url: string, png: string, width: number, height = 1600): Promise<void> {
  await chromium([`--screenshot=${png}`, `--window-size=${width},${height}`, url]);
}

/** The DOM of `url` after Chromium rendered it. */
export function renderedDom(url: string, width = 1200): Promise<string> {
  return chromium(['--dump-dom', `--window-size=${width},1600`, url]);
}
