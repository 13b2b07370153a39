// The feed worker's thread (see feed-worker.ts): one body at a time, in the order posted. Given
// the topics, it classifies the items it reads, so the poller's thread need not.
import { parentPort, workerData } from 'node:worker_threads';
import { compileClassifier } from '../shared/classify/index.ts';
import { topicsDigest } from '../shared/classify/item-classification.ts';
import type { Config } from '../shared/config/schema/index.ts';
import { type Classifying, replyTo } from './feed-worker-reply.ts';

const topics = (workerData as { topics?: Config['topics'] } | undefined)?.topics;
const classifying: Classifying | undefined = topics ? { classifier: compileClassifier(topics), with: topicsDigest(topics) } : undefined;

parentPort!.on('message', async (message: Parameters<typeof replyTo>[0]) => parentPort!.postMessage(await replyTo(message, classifying)));
