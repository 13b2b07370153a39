// Template assertions: what `cdk deploy` would create, property by property, for a
// config that uses every part (test/infra/fixtures/full.config.yaml). Bundling is off
// here (code stubs) so the whole app synthesises in about a second; synth.test.ts
// builds the real bundles.
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { newApp } from './app.ts';
import { worstSendMs } from '../../infra/constructs/alerts.ts';
import { loadConfig, parseConfig } from '../../shared/config/load.ts';
import type { Config } from '../../shared/config/schema/index.ts';
import { TABLE_ACCESS } from '../../infra/constructs/table-access.ts';
import { METRIC } from '../../shared/metric-names.ts';

const FIXTURE = 'test/infra/fixtures/full.config.yaml';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

function synth(config: Config): { data: Template; service: Template; serviceStack: Stack } {
  const { data, service } = buildApp({ config, app: newApp(), bundle: false, nag: false });
  return { data: Template.fromStack(data), service: Template.fromStack(service), serviceStack: service };
}

/** The logical id of the one function whose description contains `what`. */
function functionId(t: Template, what: string): string {
  const fns = Object.entries(t.findResources('AWS::Lambda::Function')).filter(([, r]) => String(r.Properties.Description).includes(what));
  expect(fns).toHaveLength(1);
  return fns[0]![0];
}

/** Every IAM statement attached to the role of function `fnId`. */
function statementsOf(t: Template, fnId: string): { Action: string | string[]; Resource: unknown }[] {
  const fn = t.toJSON().Resources[fnId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const secretNames = (statements: { Action: string | string[]; Resource: unknown }[]): string[] =>
  statements
    .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
    .flatMap((s) => [s.Resource].flat())
    .map((r) => /secret:(.+)-\?{6}/.exec(JSON.stringify(r))?.[1] ?? JSON.stringify(r))
    .sort();

describe('the deployed app for a full config', () => {
  let config: Config;
  let data: Template;
  let service: Template;
  let serviceStack: Stack;
  beforeAll(() => {
    config = loadConfig(FIXTURE);
    ({ data, service, serviceStack } = synth(config));
  }, 180_000); // a few seconds alone; over a minute when the whole suite shares two cores

  describe('stateful stack: the table', () => {
    it('is on-demand with pk/sk, the byDay index, TTL on expiresAt, PITR and a NEW_IMAGE stream', () => {
      data.resourceCountIs('AWS::DynamoDB::Table', 1);
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'byDay',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      });
    });

    it('has deletion protection on', () => {
      data.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    });

    it('survives stack deletion and replacement (RETAIN), and nothing else lives in that stack', () => {
      data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const types = new Set(Object.values(data.toJSON().Resources as Resources).map((r) => r.Type));
      expect([...types]).toEqual(['AWS::DynamoDB::Table']);
      // and the stateless stack holds no table
      service.resourceCountIs('AWS::DynamoDB::Table', 0);
    });
  });

  describe('least privilege on the table', () => {
    it.each([
      ['queue one poll message', TABLE_ACCESS.dispatch],
      ['poll sources', TABLE_ACCESS.poll],
      ['daily digest', TABLE_ACCESS.digest],
      ['send new matched stories to Slack and webhooks', TABLE_ACCESS.notify],
    ] as const)('the function that says "%s" may call exactly the DynamoDB actions its code sends', (what, expected) => {
      const dynamo = statementsOf(service, functionId(service, what))
        .flatMap((x) => [x.Action].flat())
        .filter((a) => a.startsWith('dynamodb:') && !/Stream|Shard|GetRecords/.test(a));
      expect([...new Set(dynamo)].sort()).toEqual([...expected].sort());
      for (const a of dynamo) expect(a).not.toMatch(/\*|Scan|DeleteItem|DescribeTable/);
    });
  });

  describe('every Lambda (PipelineFunction)', () => {
    it('runs Node.js 24 on arm64 with JSON logs into a log group with the configured retention, and X-Ray', () => {
      const fns = Object.values(service.findResources('AWS::Lambda::Function'));
      expect(fns).toHaveLength(4);
      for (const fn of fns) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          LoggingConfig: { LogFormat: 'JSON' },
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'newswatch', NODE_OPTIONS: '--enable-source-maps' } },
        });
        expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
      }
      const groups = Object.values(service.findResources('AWS::Logs::LogGroup'));
      expect(groups).toHaveLength(4);
      for (const g of groups) expect(g.Properties.RetentionInDays).toBe(30);
    });

    it('takes its log retention from deploy.logRetentionDays', () => {
      const text = `version: 1\ntopics:\n  gpu:\n    label: GPU\n    strong: [GPU]\ndeploy:\n  logRetentionDays: 7\n`;
      const { service: s } = synth(parseConfig(text, 'inline.yaml'));
      for (const g of Object.values(s.findResources('AWS::Logs::LogGroup'))) expect(g.Properties.RetentionInDays).toBe(7);
    });
  });

  describe('polling', () => {
    it('ticks in Korea time at the shortest poll interval of any source, into the dispatch Lambda', () => {
      const dispatch = functionId(service, 'queue one poll message');
      service.hasResourceProperties('AWS::Scheduler::Schedule', {
        // etnews polls every 5 minutes; the settings say 10
        ScheduleExpression: 'cron(0/5 * * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Seoul',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [dispatch, 'Arn'] },
          Input: JSON.stringify({ kind: 'poll-tick', scheduledTime: '<aws.scheduler.scheduled-time>' }),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        }),
      });
    });

    it('feeds the poll Lambda from SQS with partial batch failures and bounded concurrency', () => {
      const poll = functionId(service, 'poll sources');
      service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: poll },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: config.deploy.pollConcurrency },
        BatchSize: 5,
      });
    });

    it('gives the poll queue a DLQ after 3 receives and a visibility timeout of at least 6x the poll timeout', () => {
      const resources = service.toJSON().Resources as Resources;
      const poll = resources[functionId(service, 'poll sources')]!;
      const mapping = Object.values(resources).find(
        (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName.Ref === functionId(service, 'poll sources'),
      )!;
      const queueId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0];
      const queue = resources[queueId]!;
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * poll.Properties.Timeout);
      expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 3 });
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    });

    it('lets dispatch read the table and send to the queue, but write nothing and read no secret', () => {
      const s = statementsOf(service, functionId(service, 'queue one poll message'));
      const actions = s.flatMap((x) => [x.Action].flat());
      expect(actions).toContain('sqs:SendMessage');
      expect(actions).toContain('dynamodb:Query');
      expect(actions).not.toContain('dynamodb:PutItem');
      expect(actions).not.toContain('dynamodb:UpdateItem');
      expect(secretNames(s)).toEqual([]);
    });

    it('sends a dispatch tick that failed after two retries to its own failure queue', () => {
      service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId(service, 'queue one poll message') },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PollingDispatchFailures'), 'Arn'] } } },
      });
    });

    it('lets poll read exactly the Naver secret the config names (one secret, two JSON keys)', () => {
      expect(secretNames(statementsOf(service, functionId(service, 'poll sources')))).toEqual(['newswatch/naver']);
    });
  });

  describe('alerts', () => {
    it('invokes notify only for INSERTs of new matched leaders, bisecting, with bounded retries and age, failures to SQS', () => {
      const notify = functionId(service, 'Slack and webhooks');
      service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: notify },
        StartingPosition: 'LATEST',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        MaximumRecordAgeInSeconds: 6 * 3600,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: Match.objectLike({ 'Fn::GetAtt': Match.arrayWith([Match.stringLikeRegexp('NotifyFailures')]) }) } },
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { alert: { BOOL: [true] } } } }) }] },
      });
    });

    it('sweeps the delivery outbox every 5 minutes through notify, whose timeout outlasts the worst send with its retries', () => {
      const notify = functionId(service, 'Slack and webhooks');
      const sweeps = Object.values(service.findResources('AWS::Scheduler::Schedule')).filter((r) => r.Properties.Target.Arn['Fn::GetAtt'][0] === notify);
      expect(sweeps.map((r) => [r.Properties.ScheduleExpression, JSON.parse(r.Properties.Target.Input).kind])).toEqual([['rate(5 minutes)', 'delivery-sweep']]);
      const fn = service.findResources('AWS::Lambda::Function')[notify]!;
      expect(fn.Properties.Timeout * 1000).toBeGreaterThan(worstSendMs());
    });

    it('lets notify read exactly the Slack and webhook secrets, and nothing of SES', () => {
      const s = statementsOf(service, functionId(service, 'Slack and webhooks'));
      expect(secretNames(s)).toEqual(['newswatch/archive-signing', 'newswatch/archive-url', 'newswatch/slack-team-ai']);
      expect(s.flatMap((x) => [x.Action].flat().filter((a) => String(a).startsWith('ses:')))).toEqual([]);
    });
  });

  describe('digest', () => {
    it('sends each list at its hour and checks it 30 minutes later, in Korea time', () => {
      const digest = functionId(service, 'daily digest');
      const schedules = Object.values(service.findResources('AWS::Scheduler::Schedule'))
        .filter((r) => r.Properties.Target.Arn['Fn::GetAtt'][0] === digest)
        .map((r) => [r.Properties.ScheduleExpression, r.Properties.ScheduleExpressionTimezone, JSON.parse(r.Properties.Target.Input)]);
      expect(schedules).toEqual(
        expect.arrayContaining([
          ['cron(0 8 * * ? *)', 'Asia/Seoul', expect.objectContaining({ kind: 'digest-send', listId: 'morning' })],
          ['cron(30 8 * * ? *)', 'Asia/Seoul', expect.objectContaining({ kind: 'digest-check', listId: 'morning' })],
          ['cron(0 18 * * ? *)', 'Asia/Seoul', expect.objectContaining({ kind: 'digest-send', listId: 'evening' })],
          ['cron(30 18 * * ? *)', 'Asia/Seoul', expect.objectContaining({ kind: 'digest-check', listId: 'evening' })],
        ]),
      );
      expect(schedules).toHaveLength(4);
    });

    it('sends a digest event that failed after two retries to its own failure queue', () => {
      service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId(service, 'daily digest') },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DigestDigestFailures'), 'Arn'] } } },
      });
    });

    it('may send only as the configured `from` identities (address or domain), and reads no secret', () => {
      const s = statementsOf(service, functionId(service, 'daily digest'));
      // SendRawEmail only: the digest is a raw MIME message (List-Unsubscribe headers).
      expect(s.flatMap((x) => [x.Action].flat())).not.toContain('ses:SendEmail');
      const ses = s.filter((x) => [x.Action].flat().includes('ses:SendRawEmail'));
      const identities = ses
        .flatMap((x) => [x.Resource].flat())
        .map((r) => /identity\/([^"]+)"/.exec(JSON.stringify(r))?.[1])
        .sort();
      expect(identities).toEqual(['alerts@example.org', 'example.com', 'example.org', 'news@example.com']);
      expect(secretNames(s)).toEqual([]);
    });
  });

  describe('monitoring', () => {
    it('has the thirteen alarms, each notifying the SNS topic, which mails deploy.alarmEmail', () => {
      const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm'));
      const topic = Object.keys(service.findResources('AWS::SNS::Topic'))[0];
      expect(alarms).toHaveLength(13);
      for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic } });
    });

    it('alarms on the depth of every failure queue: poll DLQ, notify, dispatch and digest failures, schedule DLQ', () => {
      const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ApproximateNumberOfMessagesVisible' } }));
      const queues = alarms.map((a) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0]).sort();
      expect(queues).toEqual([
        expect.stringMatching(/^AlertsNotifyFailures/),
        expect.stringMatching(/^DigestDigestFailures/),
        expect.stringMatching(/^PollingDispatchFailures/),
        expect.stringMatching(/^PollingPollDlq/),
        expect.stringMatching(/^ScheduleDlq/),
      ]);
    });

    it('alarms when dispatch fails', () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(service, 'queue one poll message') } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('alarms when no dispatch has run for three ticks: the heartbeat, where missing data breaches', () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'SourcesDispatched',
        Namespace: 'newswatch',
        Dimensions: [{ Name: 'service', Value: 'newswatch' }],
        Statistic: 'SampleCount',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'breaching',
      });
    });

    it("alarms when the poll queue's oldest message is older than 15 minutes", () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PollingPollQueue'), 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 900,
      });
    });

    it('alarms when deliveries are given up (the metric the notify sender emits)', () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: METRIC.deliveryGaveUp,
        Namespace: 'newswatch',
        Dimensions: [{ Name: 'service', Value: 'newswatch' }],
        Statistic: 'Sum',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('alarms on poll errors and notify failures (function errors plus what the handlers count)', () => {
      const metricsOf = (label: string) =>
        Object.values(service.findResources('AWS::CloudWatch::Alarm'))
          .find((a) => a.Properties.Metrics?.[0]?.Label === label)!
          .Properties.Metrics.slice(1)
          .map((m: any) => m.MetricStat.Metric.MetricName)
          .sort();
      expect(metricsOf('poll errors')).toEqual(['Errors', 'PollBatchItemFailures']);
      expect(metricsOf('notify failures')).toEqual(['DeliveryFailed', 'Errors', 'NotifyBatchItemFailures']);
    });

    it('alarms on a late digest and a source failing longer than deploy.sourceFailingMinutes', () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'DigestLate',
        Namespace: 'newswatch',
        Dimensions: [{ Name: 'service', Value: 'newswatch' }],
        Threshold: 1,
      });
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'SourcesFailingTooLong',
        Namespace: 'newswatch',
        AlarmDescription: Match.stringLikeRegexp('more than 120 minutes'),
      });
    });

    it('warns at synth, loudly, when the alarms have no subscriber, and not when they have one', () => {
      const text = `version: 1\ntopics:\n  gpu:\n    label: GPU\n    strong: [GPU]\n`;
      const { service: stack } = buildApp({ config: parseConfig(text, 'inline.yaml'), app: newApp(), bundle: false, nag: false });
      Annotations.fromStack(stack).hasWarning('/Newswatch/Monitoring', Match.stringLikeRegexp('NO ONE WILL HEAR THE ALARMS: deploy.alarmEmail is not set'));
      // The full config sets deploy.alarmEmail: its app (synthesised once for this file) has no such warning.
      Annotations.fromStack(serviceStack).hasNoWarning('*', Match.stringLikeRegexp('NO ONE WILL HEAR'));
    }, 120_000);

    it('has no email subscription when deploy.alarmEmail is not set', () => {
      const text = `version: 1\ntopics:\n  gpu:\n    label: GPU\n    strong: [GPU]\n`;
      const { service: s } = synth(parseConfig(text, 'inline.yaml'));
      s.resourceCountIs('AWS::SNS::Topic', 1);
      s.resourceCountIs('AWS::SNS::Subscription', 0);
      // and no email list means no digest schedules and no SES permission
      expect(JSON.stringify(s.toJSON())).not.toMatch(/ses:Send(Raw)?Email/);
      expect(Object.keys(s.findResources('AWS::Scheduler::Schedule'))).toHaveLength(1);
    });
  });
});
