// "Is this story new?": the decisions both stores share (shared/pipeline/novelty.ts).
import { describe, expect, it } from 'vitest';
import { newToSource, pageIsNew } from '../../../shared/pipeline/novelty.ts';

describe('newToSource (step 1: the feed listing)', () => {
  const read = new Map([
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]);
  it.each([
    ['a first poll: every item', undefined, ['a', 'b', 'c']],
    ['nothing listed before', [], ['a', 'b', 'c']],
    ['only items the last read did not list', ['a', 'b', 'x'], ['c']],
    ['an unchanged feed: none', ['c', 'b', 'a'], []],
  ])('%s', (_, listed, expected) => {
    expect([...newToSource(read, listed).keys()]).toEqual(expected);
  });
});

describe('pageIsNew (step 2: article pages fetched before)', () => {
  const now = new Date('2025-02-06T06:00:00Z');
  it.each([
    ['nothing stored about it', undefined, true],
    ['its story is stored', { story: true }, false],
    ['its story is stored, an old marker too', { story: true, seenUntil: new Date('2025-01-01T00:00:00Z') }, false],
    ['fetched for nothing, marker unexpired', { story: false, seenUntil: new Date('2025-02-06T06:00:01Z') }, false],
    ['fetched for nothing, marker expired this instant', { story: false, seenUntil: now }, true],
    ['fetched for nothing, marker expired', { story: false, seenUntil: new Date('2025-02-01T00:00:00Z') }, true],
  ])('%s', (_, record, expected) => {
    expect(pageIsNew(record, now)).toBe(expected);
  });
});
