import { describe, expect, it } from 'vitest';
import { BURST_INLINING_BUDGET, BURST_INTERRUPT_BUDGET, jitFlagsFor } from '../../../cli/jit-budget.ts';

describe('the JIT budget every command sets at its start', () => {
  it('raises the optimizing budget and lowers the inlining one on V8 11, which has no mid tier (Node 20)', () => {
    expect(jitFlagsFor('11.3.244.8-node.38')).toEqual([
      `--interrupt-budget=${BURST_INTERRUPT_BUDGET}`,
      `--max-inlined-bytecode-size-cumulative=${BURST_INLINING_BUDGET}`,
    ]);
    expect(BURST_INTERRUPT_BUDGET).toBeGreaterThan(67_584); // V8 11's own
    expect(BURST_INLINING_BUDGET).toBeLessThan(920); // V8 11's own
  });

  it('leaves V8 12 and later (Node 22, 24: the Lambdas) as they are', () => {
    expect(jitFlagsFor('12.4.254.21-node.33')).toEqual([]);
    expect(jitFlagsFor('13.6.233.17-node.63')).toEqual([]);
  });

  it('sets nothing for a version it cannot read', () => {
    expect(jitFlagsFor('')).toEqual([]);
    expect(jitFlagsFor('unknown')).toEqual([]);
  });
});
