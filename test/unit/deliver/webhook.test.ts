import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { eventId, signedHeaders, signingKey, signWebhook, storyMatchedEvent } from '../../../shared/deliver/webhook.ts';
import { storyView } from '../../../shared/deliver/story-view.ts';
import { configWith, story } from './fixtures.ts';

describe('Standard Webhooks signing', () => {
  it('matches the example from the Standard Webhooks specification', () => {
    // From the spec's reference test vectors.
    const key = signingKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(signWebhook(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs id.timestamp.body with the attempt time', () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const h = signedHeaders(key, 'msg_1', new Date('2026-11-22T00:00:00Z'), '{"a":1}');
    expect(h['webhook-timestamp']).toBe('1795305600');
    const expected = createHmac('sha256', key).update('msg_1.1795305600.{"a":1}').digest('base64');
    expect(h['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('is accepted by a receiver verifying with the Standard Webhooks library, and a changed body is not', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = JSON.stringify({ id: 'msg_1', type: 'story.matched', data: { story: { title: '딥시크 R1 공개' } } });
    const headers = signedHeaders(signingKey(secret), 'msg_1', new Date(), body);
    const receiver = new Webhook(secret);
    expect(receiver.verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => receiver.verify(body.replace('R1', 'R2'), headers)).toThrow(/No matching signature/);
  });

  it('rejects a signing secret without the whsec_ prefix, without echoing it', () => {
    expect(() => signingKey('hunter2-plain')).toThrow(/whsec_/);
    expect(() => signingKey('hunter2-plain')).not.toThrow(/hunter2/);
  });

  it('gives the same story the same event id and body every time', () => {
    const config = configWith('  webhooks: []\n');
    const s = story();
    const a = JSON.stringify(storyMatchedEvent(storyView(config, s)));
    const b = JSON.stringify(storyMatchedEvent(storyView(config, s)));
    expect(a).toBe(b);
    expect(JSON.parse(a)).toMatchObject({ id: eventId(s.id), type: 'story.matched', timestamp: s.firstSeenAt, data: { story: { id: s.id } } });
  });
});
