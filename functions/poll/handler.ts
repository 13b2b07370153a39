// Lambda entry: SQS poll messages → the pipeline, one source per message.
import { awsRuntime } from '../shared/aws-runtime.ts';
import { instrumented } from '../shared/instrument.ts';
import { pollSecrets } from '../../shared/config/secret-refs.ts';
import { pollHandler } from './poll.ts';

export const handler = instrumented(pollHandler(await awsRuntime(pollSecrets)));
