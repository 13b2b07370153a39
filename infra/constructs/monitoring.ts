// Monitoring: the alarms an operator needs to trust the pipeline without watching
// it, all to one SNS topic (with an email subscription when deploy.alarmEmail is set).
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Config } from '../../shared/config/schema/index.ts';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/metric-names.ts';

export interface MonitoringProps {
  readonly config: Config;
  /** Queues that hold what could not be processed: any message in them is an alarm. */
  readonly deadLetterQueues: Record<string, IQueue>;
  readonly pollFunction: IFunction;
  readonly notifyFunction: IFunction;
  readonly digestFunction: IFunction;
  /** Minutes between dispatch ticks (the failing-source metric's cadence). */
  readonly tickMinutes: number;
}

/** Alarms on DLQs, poll errors, notify failures, a late digest and a long-failing source. */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'newswatch alarms', enforceSSL: true });
    if (props.config.deploy.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.config.deploy.alarmEmail));
    }
    const fiveMinutes = Duration.minutes(5);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${name}Depth`, {
        description: `${name}: messages that could not be processed are waiting (inspect, fix, redrive)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
      });
    }

    this.alarm('PollErrors', {
      description: 'poll Lambda: invocations failed or source messages were handed back for retry',
      metric: new MathExpression({
        expression: 'FILL(errors, 0) + FILL(itemFailures, 0)',
        usingMetrics: {
          errors: props.pollFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
          itemFailures: custom(METRIC.pollBatchItemFailures, 'Sum', fiveMinutes),
        },
        period: fiveMinutes,
        label: 'poll errors',
      }),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    this.alarm('NotifyFailures', {
      description: 'notify Lambda: invocations failed or deliveries to Slack/webhooks failed',
      metric: new MathExpression({
        expression: 'FILL(errors, 0) + FILL(deliveries, 0) + FILL(itemFailures, 0)',
        usingMetrics: {
          errors: props.notifyFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
          deliveries: custom(METRIC.deliveryFailed, 'Sum', fiveMinutes),
          itemFailures: custom(METRIC.notifyBatchItemFailures, 'Sum', fiveMinutes),
        },
        period: fiveMinutes,
        label: 'notify failures',
      }),
    });

    this.alarm('DigestLate', {
      description: 'digest: a list\'s digest was not sent by 30 minutes after its hour (see the digest logs for the list)',
      metric: custom(METRIC.digestLate, 'Maximum', Duration.hours(1)),
    });

    // The dispatch Lambda sees every source's state each tick, including sources in
    // backoff that no poll is running for, so the metric has a datapoint every tick.
    const period = Duration.minutes(Math.max(5, Math.ceil(props.tickMinutes / 5) * 5));
    this.alarm('SourceFailing', {
      description: `a source has failed for more than ${props.config.deploy.sourceFailingMinutes} minutes (newswatch status / dispatch logs name it)`,
      metric: custom(METRIC.sourcesFailingTooLong, 'Maximum', period),
    });
  }

  private alarm(id: string, opts: { description: string; metric: IMetric; evaluationPeriods?: number; datapointsToAlarm?: number }): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: `newswatch: ${opts.description}`,
      metric: opts.metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: opts.evaluationPeriods ?? 1,
      datapointsToAlarm: opts.datapointsToAlarm ?? 1,
      // No datapoint means nothing went wrong (the metrics are only emitted when something did, or are zero).
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/** A newswatch custom metric as Powertools emits it (namespace + `service` dimension). */
function custom(metricName: string, statistic: string, period: Duration): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: SERVICE_NAME }, statistic, period });
}
