// Screenshot an HTML file with headless Chromium (Debian `chromium`), and read the PNG
// back with node:zlib to tell a real render from a blank page.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';

/** The Chromium binary on this machine, or undefined. */
export function chromiumPath(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
}

/**
 * Why a test that needs Chromium cannot run on this machine, or undefined when it can.
 * A fresh machine without Chromium skips such tests with this reason; CI sets
 * NEWSWATCH_REQUIRE_CHROMIUM=1 (.ci/run installs Chromium), and there a missing Chromium
 * is not a reason to skip: the test runs and fails on it.
 */
export function chromiumSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (chromiumPath() || env.NEWSWATCH_REQUIRE_CHROMIUM === '1') return undefined;
  return 'skipped: Chromium is not installed (apt-get install chromium fonts-noto-cjk); NEWSWATCH_REQUIRE_CHROMIUM=1 makes this a failure';
}

/** Headless, offline and quiet: no GPU, no first-run, no background network or updates. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

/** Render `htmlFile` at `width`×`height` into `png`. */
export async function screenshot(htmlFile: string, png: string, size: { width: number; height: number } = { width: 420, height: 1400 }): Promise<void> {
  const bin = chromiumPath();
  if (!bin) throw new Error('chromium is not installed (apt-get install chromium fonts-noto-cjk)');
  const profile = mkdtempSync(join(tmpdir(), 'nw-chromium-'));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        bin,
        [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--screenshot=${png}`, `--window-size=${size.width},${size.height}`, pathToFileURL(htmlFile).href],
        { timeout: 60_000 },
        (err, _stdout, stderr) => (err ? reject(new Error(`chromium failed: ${err.message}\n${stderr}`)) : resolve()),
      );
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface PngStats {
  width: number;
  height: number;
  /** Distinct RGB colours (quantised to 5 bits per channel). */
  colours: number;
  /** Share of pixels that differ from the most common colour (0..1). */
  inkRatio: number;
}

/** Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) and measure it. */
export function pngStats(file: string): PngStats {
  const buf = readFileSync(file);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error(`${file} is not a PNG`);
  let off = 8;
  let width = 0;
  let height = 0;
  let colourType = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs are supported');
      colourType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const bpp = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (!bpp) throw new Error(`unsupported PNG colour type ${colourType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const prev = Buffer.alloc(stride);
  const cur = Buffer.alloc(stride);
  const counts = new Map<number, number>();
  for (let y = 0; y < height; y++) {
    const base = y * (stride + 1);
    const filter = raw[base]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[base + 1 + x]!;
      const a = x >= bpp ? cur[x - bpp]! : 0;
      const b = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      let out: number;
      switch (filter) {
        case 0:
          out = v;
          break;
        case 1:
          out = v + a;
          break;
        case 2:
          out = v + b;
          break;
        case 3:
          out = v + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a),
            pb = Math.abs(p - b),
            pc = Math.abs(p - c);
          out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter}`);
      }
      cur[x] = out & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const i = x * bpp;
      const key = ((cur[i]! >> 3) << 10) | ((cur[i + 1]! >> 3) << 5) | (cur[i + 2]! >> 3);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    cur.copy(prev);
  }
  const top = Math.max(...counts.values());
  return { width, height, colours: counts.size, inkRatio: 1 - top / (width * height) };
}
