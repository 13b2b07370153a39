// cdk-nag AwsSolutions findings we accept, each with its reason. Everything else
// fails the synth. cdk-nag 3 acknowledges findings one by one (no prefix matching),
// so each id names the exact policy, resource or action accepted.
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { type IConstruct } from 'constructs';
import { PipelineFunction } from './constructs/pipeline-function.ts';
import { tableExports, type ServiceStack } from './stacks.ts';

/** Acknowledge the reviewed cdk-nag findings of the service stack. */
export function acknowledgeNagFindings(stack: ServiceStack): void {
  const tableArn = tableExports(stack.dataStackName).arn;
  const functions = stack.node.findAll().filter((c): c is PipelineFunction => c instanceof PipelineFunction);
  for (const fn of functions) {
    Validations.of(fn).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole grants only CreateLogStream/PutLogEvents (and CreateLogGroup), which every Lambda needs for its own logs.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and, for the stream consumer, dynamodb:ListStreams support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
        reason: 'Table grants include its indexes; the one index is byDay, which the digest and status queries read.',
      },
    );
  }

  // The Scheduler target creates one role per invoked function; it may invoke any
  // version or alias of that function (`<arn>:*`), and nothing else.
  for (const role of stack.node.findAll().filter((c) => c.node.id.startsWith('SchedulerRoleForTarget-'))) {
    for (const fn of functions) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId(fn.node.defaultChild)}.Arn>:*]`,
        reason: 'The Scheduler role may invoke the one function it targets, any version or alias of it (added by the LambdaInvoke target).',
      });
    }
  }

  for (const queue of [stack.scheduleDlq, stack.alerts.failureQueue, stack.polling.dispatchFailureQueue, stack.digest.failureQueue]) {
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a failure destination (Scheduler dead letters, stream or async-invoke on-failure records); it has no consumer to fail.',
    });
  }
}

function logicalId(resource: IConstruct | undefined): string {
  if (!resource) throw new Error('cdk-nag acknowledgements: construct without a CloudFormation resource');
  return Stack.of(resource).getLogicalId(resource as CfnElement);
}
