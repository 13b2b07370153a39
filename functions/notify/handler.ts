// Lambda entry: DynamoDB stream of new matched leaders → Slack and webhooks.
import { awsRuntime } from '../shared/aws-runtime.ts';
import { instrumented } from '../shared/instrument.ts';
import { notifySecrets } from '../../shared/config/secret-refs.ts';
import { notifyHandler } from './notify.ts';

export const handler = instrumented(notifyHandler(await awsRuntime(notifySecrets)));
