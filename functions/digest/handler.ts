// Lambda entry: Scheduler at a list's hour → the daily digest through SES.
import { SESClient } from '@aws-sdk/client-ses';
import { createSesSender } from '../../adapters/ses/ses-sender.ts';
import { awsRuntime } from '../shared/aws-runtime.ts';
import { instrumented } from '../shared/instrument.ts';
import { digestHandler } from './digest.ts';

const runtime = await awsRuntime();

export const handler = instrumented(digestHandler({ ...runtime, email: createSesSender(new SESClient({})) }));
