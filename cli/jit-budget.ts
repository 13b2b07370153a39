// How long V8 runs a function before optimizing it, and how much it inlines when it does, set
// for a command's short bursts of work.
//
// V8 before 12 (Node 20) has no mid tier: a hot function goes from the baseline compiler
// straight to TurboFan, whose compiles share the two cores with the poll. A poll cycle is a
// burst of code that runs a few times; with V8's own budget about 1 s of a cold first cycle's
// CPU went to compiles that finished as the cycle did. A larger budget optimizes only what
// keeps running, and a smaller inlining allowance makes each compile smaller (the largest
// inlined whole call trees: the feed repair pass, the shingle code, the SDK's writers), for code
// that is hardly slower (measured in docs/benchmarks.md, "The JIT's budget" and "Less work per
// matched story, less inlining").
// V8 12+ (Node 22 and 24, the Lambdas' runtime) tiers up through Maglev first and is left as it is.
import { setFlagsFromString } from 'node:v8';

/** Bytecode bytes a function runs between V8's looks at optimizing it (V8 11's default: 67,584). */
export const BURST_INTERRUPT_BUDGET = 300_000;
/** Bytecode bytes TurboFan inlines into one function in all (V8 11's default: 920). */
export const BURST_INLINING_BUDGET = 300;

/** The V8 flags tuneJitForBursts sets on a V8 of this version ("11.3.244.8-node.33"). */
export function jitFlagsFor(v8Version: string): string[] {
  const major = Number.parseInt(v8Version, 10);
  return Number.isFinite(major) && major < 12
    ? [`--interrupt-budget=${BURST_INTERRUPT_BUDGET}`, `--max-inlined-bytecode-size-cumulative=${BURST_INLINING_BUDGET}`]
    : [];
}

/**
 * Sets them for the whole process: V8's flags are one set for every thread, and each function
 * takes the new budget at its next look, each compile after it the inlining allowance, the
 * worker threads' included (checked: --trace-opt counts half the TurboFan compiles in a first
 * poll, and --trace-turbo-inlining 542 inlined calls set so against 774, docs/benchmarks.md).
 */
export function tuneJitForBursts(v8Version = process.versions.v8): string[] {
  const flags = jitFlagsFor(v8Version);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}
