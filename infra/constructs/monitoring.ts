// Monitoring: the alarms an operator needs to trust the pipeline without watching
// it, all to one SNS topic (with an email subscription when deploy.alarmEmail is set).
// docs/operations.md says what to do when each one fires.
import { Annotations, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
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
  readonly dispatchFunction: IFunction;
  /** The queue of source messages: its oldest message's age says whether polls keep up. */
  readonly pollQueue: IQueue;
  readonly pollFunction: IFunction;
  readonly notifyFunction: IFunction;
  readonly digestFunction: IFunction;
  /** Minutes between dispatch ticks (the failing-source metric's cadence). */
  readonly tickMinutes: number;
}

/** How old the oldest source message may get before polls are said not to keep up. */
export const POLL_QUEUE_MAX_AGE = Duration.minutes(15);
/** Ticks in a row without a dispatch run before the heartbeat alarm fires. */
export const HEARTBEAT_MISSED_TICKS = 3;

/** Alarms on DLQs, dispatch, poll errors, notify failures, given-up deliveries, a late digest and a long-failing source. */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'newswatch alarms', enforceSSL: true });
    if (props.config.deploy.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.config.deploy.alarmEmail));
    } else {
      // Alarms nobody receives are no alarms: say so at every synth until it is fixed.
      Annotations.of(this).addWarningV2(
        'newswatch:alarms-without-subscriber',
        'NO ONE WILL HEAR THE ALARMS: deploy.alarmEmail is not set, so the alarm topic has no subscriber. ' +
          'Set deploy.alarmEmail in the config (or subscribe to the topic yourself) before relying on this deployment.',
      );
    }
    const fiveMinutes = Duration.minutes(5);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${name}Depth`, {
        description: `${name}: messages that could not be processed are waiting (inspect, fix, redrive)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
      });
    }

    this.alarm('DispatchErrors', {
      description: 'dispatch Lambda failed: no source is being queued for polling (see the dispatch logs; failed ticks wait in the dispatch failure queue)',
      metric: props.dispatchFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
    });

    // Dispatch emits SourcesDispatched on every tick, 0 included: no datapoint at all means no
    // dispatch ran (schedule disabled, function throttled or deleted), and that must alarm.
    const tick = Duration.minutes(Math.max(5, Math.ceil(props.tickMinutes / 5) * 5));
    this.alarm('DispatchHeartbeat', {
      description: `no dispatch run for ${HEARTBEAT_MISSED_TICKS} ticks: nothing is being polled (is the Tick schedule enabled? is dispatch throttled or failing?)`,
      metric: custom(METRIC.sourcesDispatched, 'SampleCount', tick),
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: HEARTBEAT_MISSED_TICKS,
      datapointsToAlarm: HEARTBEAT_MISSED_TICKS,
      treatMissingData: TreatMissingData.BREACHING,
    });

    this.alarm('PollQueueAge', {
      description: `the oldest source message has waited over ${POLL_QUEUE_MAX_AGE.toMinutes()} minutes: polls are not keeping up (poll errors, throttling, or pollConcurrency too low)`,
      metric: props.pollQueue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }),
      threshold: POLL_QUEUE_MAX_AGE.toSeconds(),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    this.alarm('DeliveriesGivenUp', {
      description: 'alerts were given up after retrying for settings.deliveryGiveUpHours (newswatch deliveries / notify logs name them and why)',
      metric: custom(METRIC.deliveryGaveUp, 'Sum', fiveMinutes),
    });

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
      description: "digest: a list's digest was not sent by 30 minutes after its hour (see the digest logs for the list)",
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

  private alarm(
    id: string,
    opts: {
      description: string;
      metric: IMetric;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      threshold?: number;
      comparisonOperator?: ComparisonOperator;
      treatMissingData?: TreatMissingData;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: `newswatch: ${opts.description}`,
      metric: opts.metric,
      threshold: opts.threshold ?? 1,
      comparisonOperator: opts.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: opts.evaluationPeriods ?? 1,
      datapointsToAlarm: opts.datapointsToAlarm ?? 1,
      // By default no datapoint means nothing went wrong (error metrics are only emitted when
      // something did, or are zero); the heartbeat says otherwise.
      treatMissingData: opts.treatMissingData ?? TreatMissingData.NOT_BREACHING,
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
