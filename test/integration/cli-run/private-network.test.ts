// `--allow-private-network` means what settings.allowPrivateNetwork means, for the whole run:
// the feeds it reads and the redirects its deliveries follow. A webhook receiver on this
// machine that moves (307) to another local port is followed, as the setting would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';

const SIGNING = 'whsec_' + Buffer.from('newswatch-test-signing-key-32byt').toString('base64');
const TITLE = '딥시크, 새 추론 모델 공개';

let feed: FixtureServer;
let moved: Receiver;
let target: Receiver;
let dir: string;

beforeEach(async () => {
  const published = new Date(Date.now() - 10 * 60_000).toUTCString();
  feed = await startFixtureServer({
    '/feed.xml': {
      body: `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><item><title>${TITLE}</title><link>https://news.example.kr/a/1</link><pubDate>${published}</pubDate><description>딥시크가 새 추론 모델을 공개했다.</description></item></channel></rss>`,
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    },
  });
  moved = await startReceiver();
  target = await startReceiver();
  // The configured receiver (trusted wherever it is) moved to another port on this machine.
  moved.script('/hook', [{ status: 307, headers: { location: target.url('/hook') } }], { repeat: true });
  dir = mkdtempSync(join(tmpdir(), 'newswatch-private-'));
  writeFileSync(
    join(dir, 'config.yaml'),
    `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
sources:
  - { kind: rss, id: feed, outlet: 테스트일보, url: "${feed.url('/feed.xml')}", fetchArticle: never }
delivery:
  webhooks:
    - id: ingest
      topics: [deepseek]
      url: { env: NW_TEST_HOOK }
      signingSecret: { env: NW_TEST_HOOK_SECRET }
`,
  );
});
afterEach(async () => {
  await Promise.all([feed.close(), moved.close(), target.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('newswatch run --allow-private-network', () => {
  it('also lets a delivery follow its receiver to a private address, not only the feeds', async () => {
    const r = await runCli(['run', '--once', '--config', join(dir, 'config.yaml'), '--store', join(dir, 'store'), '--allow-private-network'], {
      env: { NO_COLOR: '1', NW_TEST_HOOK: moved.url('/hook'), NW_TEST_HOOK_SECRET: SIGNING },
    });
    expect(r.stderr).not.toMatch(/refused|blocked/);
    expect(r.code).toBe(0);
    expect(moved.requests('/hook')).toHaveLength(1);
    const delivered = target.requests('/hook');
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]!.body).data.story.title).toBe(TITLE);
  });
});
