// The feed worker's thread (see feed-worker.ts): one body at a time, in the order posted.
import { parentPort } from 'node:worker_threads';
import { replyTo } from './feed-worker-reply.ts';

parentPort!.on('message', async (message: Parameters<typeof replyTo>[0]) => parentPort!.postMessage(await replyTo(message)));
