// The feed worker's thread, except that a body posted for the source `dies` ends the thread
// (as a crash in the parser would) before it answers.
import { parentPort } from 'node:worker_threads';
import { replyTo } from '../../cli/feed-worker-reply.ts';

parentPort!.on('message', async (message: Parameters<typeof replyTo>[0]) => {
  if (message.input.sourceId === 'dies') process.exit(3); // in a worker thread, ends only the thread
  parentPort!.postMessage(await replyTo(message));
});
