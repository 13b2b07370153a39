// Lambda entry: EventBridge Scheduler tick → SQS poll messages.
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsRuntime } from '../shared/aws-runtime.ts';
import { instrumented } from '../shared/instrument.ts';
import { sqsPollQueue } from '../shared/sqs-queue.ts';
import { dispatchHandler } from './dispatch.ts';

const runtime = await awsRuntime();
const queue = sqsPollQueue(new SQSClient({}), process.env.QUEUE_URL ?? '');

export const handler = instrumented(dispatchHandler({ ...runtime, queue }));
