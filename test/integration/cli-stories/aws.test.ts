// `--aws`: status, stories, digest --preview, tune and serve reading a deployed table through the
// store port. dynalite stands in for DynamoDB (AWS_ENDPOINT_URL_DYNAMODB, which the SDK honours);
// CloudFormation has no local peer, so a small HTTP server answers DescribeStacks with the
// data stack's outputs as AWS would (awsQuery XML). The commands run in-process, with the
// AWS settings in their own environment (cli/read-store.ts reads them from there).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import type { Story } from '../../../shared/model.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { startCli } from '../../support/cli.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { DEMO_NOW, demoFeedsConfig, pipelineDeps } from '../pipeline/support.ts';
import { cli, replaceSection, useMonthAfterDemoClock } from './seed.ts';

let feeds: DemoServer;
let db: TestDynamo;
let cfn: Server;
let cfnUrl: string;
let dir: string;
let configFile: string;
let stories: Story[];
const stackRequests: string[] = [];

beforeAll(async () => {
  feeds = await startDemoServer();
  db = await startDynalite({ tableName: 'NewswatchData-Table1234-ABCD' });
  const config = demoFeedsConfig(feeds.baseUrl);
  for (const cycle of [1, 2]) {
    feeds.setCycle(cycle);
    await pollSources(pipelineDeps(config, db.client, db.tableName, new Date(DEMO_NOW.getTime() + (cycle - 1) * 600_000)), config.sources);
  }
  stories = await pipelineDeps(config, db.client, db.tableName).store.storiesOfDay('2025-02-06');

  cfn = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      stackRequests.push(body);
      const params = new URLSearchParams(body);
      const name = params.get('StackName');
      if (params.get('Action') !== 'DescribeStacks' || (name !== 'NewswatchData' && name !== 'Other')) {
        res
          .writeHead(400, { 'content-type': 'text/xml' })
          .end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
          );
        return;
      }
      const outputs = name === 'NewswatchData' ? `<member><OutputKey>TableName</OutputKey><OutputValue>${db.tableName}</OutputValue></member>` : '';
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><StackId>arn:aws:cloudformation:ap-northeast-2:123456789012:stack/${name}/1</StackId><CreationTime>2025-01-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>`,
        );
    });
  });
  await new Promise<void>((r) => cfn.listen(0, '127.0.0.1', r));
  cfnUrl = `http://127.0.0.1:${(cfn.address() as AddressInfo).port}`;

  dir = mkdtempSync(join(tmpdir(), 'newswatch-aws-'));
  configFile = join(dir, 'config.yaml');
  const sources = `sources:\n${config.sources.map((s) => `  - { kind: rss, id: ${s.id}, outlet: ${s.outlet}, url: "${(s as { url: string }).url}" }`).join('\n')}\n`;
  writeFileSync(configFile, replaceSection(readFileSync('newswatch.config.yaml', 'utf8'), 'sources', sources));
  useMonthAfterDemoClock();
}, 300_000);
afterAll(async () => {
  vi.useRealTimers();
  await new Promise<void>((r) => (cfn ? cfn.close(() => r()) : r()));
  await db?.close();
  await feeds?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The standard credential chain and region from the environment, endpoints at the local peers. */
const awsEnv = () => ({
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'ap-northeast-2',
  AWS_PROFILE: '',
  AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
  AWS_ENDPOINT_URL_CLOUDFORMATION: cfnUrl,
});

describe('--aws reads the deployed table', { timeout: 180_000 }, () => {
  it('stories --aws finds the table from the data stack output and lists its stories', async () => {
    const r = await cli(['stories', '--aws', '--since', '2025-02-01', '--json', '--config', configFile], awsEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ids = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.sort()).toEqual(
      stories
        .filter((s) => s.leader)
        .map((s) => s.id)
        .sort(),
    );
    expect(stackRequests.some((b) => /Action=DescribeStacks/.test(b) && /StackName=NewswatchData/.test(b))).toBe(true);
  });

  it('status --aws shows the deployed sources’ health', async () => {
    const r = await cli(['status', '--aws', '--config', configFile], awsEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ demo-yonhap/);
    expect(r.stdout).toMatch(/✗ demo-down .*failing since/);
  });

  it('digest --preview --table NAME renders the deployed table’s day without asking CloudFormation', async () => {
    const before = stackRequests.length;
    const out = join(dir, 'digest');
    const r = await cli(['digest', '--preview', '--table', db.tableName, '--date', '2025-02-06', '--out', out, '--config', configFile], awsEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2월 6일 뉴스 \d+건/);
    const html = readFileSync(join(out, 'digest.html'), 'utf8');
    for (const s of stories.filter((s) => s.leader)) expect(html).toContain(s.title.replace(/"/g, '&quot;').replace(/'/g, '&#39;').slice(0, 10));
    expect(stackRequests.length).toBe(before);
  });

  it('serve --aws serves the deployed table’s stories', async () => {
    const serve = startCli(['serve', '--aws', '--port', '0', '--since', '2025-02-01', '--config', configFile], { env: { NO_COLOR: '1', ...awsEnv() } });
    try {
      const out = await serve.waitFor(/:\d+\//);
      expect(out).toMatch(new RegExp(`reading table ${db.tableName}`));
      const port = /:(\d+)\//.exec(out)![1];
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(page).toContain('개 매체');
      for (const s of stories.filter((s) => s.leader)) expect(page).toContain(new URL(s.url).href.replace(/&/g, '&amp;'));
    } finally {
      serve.interrupt();
      await serve.done;
    }
  });

  it('says what to do when the stack has no table output or the table is missing', async () => {
    const noOutput = await cli(['stories', '--aws', '--stack', 'Other'], awsEnv());
    expect(noOutput.code).toBe(1);
    expect(noOutput.stderr).toMatch(/stack Other has no TableName output: is it the newswatch data stack\? \(or pass --table NAME\)/);
    const noStack = await cli(['stories', '--aws', '--stack', 'Missing'], awsEnv());
    expect(noStack.code).toBe(1);
    expect(noStack.stderr).toMatch(/could not read the table name from stack Missing: Stack with id Missing does not exist/);
    const noTable = await cli(['stories', '--table', 'nope'], awsEnv());
    expect(noTable.code).toBe(1);
    expect(noTable.stderr).toMatch(/nope/);
  });
});
