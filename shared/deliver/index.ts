// Delivery: Slack messages, signed webhook events and the daily SES digest.
export {
  deliverStories,
  deliverStoriesDetailed,
  sendTestMessage,
  destinationsOf,
  type DeliverDeps,
  type DeliveryReport,
  type Destination,
} from './deliver-stories.ts';
export { sendDue, BurstBudget, defaultOwner, type SendOptions, type SendResult } from './outbox-sender.ts';
export { enqueueAlerts, alertsFor, alertable } from './enqueue.ts';
export { checkDestinationSecrets } from './destinations.ts';
export { runDigest, buildDigest, emailList, type DigestDeps, type DigestResult } from './digest.ts';
export type { EmailSender, OutgoingEmail } from './email-sender.ts';
export { renderDigest, digestSubject, type DigestRenderInput, type RenderedDigest } from './digest-render.ts';
export { groupDigest, type DigestContent, type DigestSection, type DigestCluster } from './digest-group.ts';
export { sampleStory } from './sample.ts';
export { storyView, wants, type StoryView } from './story-view.ts';
export { slackStoryMessage, slackSummaryMessage, slackWorkflowVariables } from './slack.ts';
export { storyMatchedEvent, eventId, signWebhook } from './webhook.ts';
export { DeliveryError } from './errors.ts';
export { createHttpPost, type HttpPost, type HttpResponse } from './http-post.ts';
export { digestDayFor } from '../time.ts';
