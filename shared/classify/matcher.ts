// Multi-pattern matching in one pass: an Aho-Corasick automaton compiled to a dense
// DFA over the code units that occur in the patterns. A unit that occurs in no
// pattern sends the automaton back to the root, so the table stays small (states x
// pattern alphabet) and each text unit costs two array reads. Linear in the text,
// whatever the language (the npm modern-ahocorasick goes quadratic on long Korean text).

/**
 * The automaton's tables, for a scan fused into another pass over the text (normalize.ts
 * folds and steps it in one loop): state = table[state * width + classOf[unit]], and a
 * state >= firstOutput ends at least one pattern.
 */
export interface Automaton {
  readonly classOf: Uint16Array;
  readonly table: Uint16Array | Int32Array;
  readonly width: number;
  readonly firstOutput: number;
}

/** States reached at given end positions during a fused scan (normalize.ts fills them). */
export interface Reached {
  readonly matchState: Int32Array;
  readonly matchEnd: Int32Array;
  readonly matches: number;
}

/** A compiled automaton over normalised patterns. */
export interface Matcher {
  readonly patterns: readonly string[];
  readonly automaton: Automaton;
  /** Calls `onMatch` for every pattern that ends in each reached state: the same calls, in the same order, as `scan`. */
  emit(reached: Reached, onMatch: (pattern: number, end: number) => void): void;
  /**
   * Scans units[0..length) and calls `onMatch(pattern, end)` for every occurrence of
   * every pattern (end is exclusive), in order of end position.
   */
  scan(units: Uint16Array, length: number, onMatch: (pattern: number, end: number) => void): void;
  /** Per state (as in Reached.matchState): 1 when a pattern that passes `test` ends there. */
  statesWith(test: (pattern: number) => boolean): Uint8Array;
}

/** Builds the automaton once; patterns must be non-empty. */
export function compileMatcher(patterns: readonly string[]): Matcher {
  // Alphabet: class 0 is "not in any pattern".
  const classOf = new Uint16Array(65536);
  let width = 1;
  for (const p of patterns) {
    for (let i = 0; i < p.length; i++) {
      const u = p.charCodeAt(i);
      if (classOf[u] === 0) classOf[u] = width++;
    }
  }
  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  patterns.forEach((p, id) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const cls = classOf[p.charCodeAt(i)]!;
      let next = children[s]!.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        own.push([]);
        children[s]!.set(cls, next);
      }
      s = next;
    }
    own[s]!.push(id);
  });
  const states = children.length;
  // 16-bit states halve the table (it is read once per text unit, so it should stay in cache).
  const delta = states <= 0xffff ? new Uint16Array(states * width) : new Int32Array(states * width);
  const fail = new Int32Array(states);
  const outputs: number[][] = own.map((o) => [...o]);
  // Breadth-first: failure links and full transitions (a DFA, no failure walking at scan time).
  const queue: number[] = [];
  for (const [cls, child] of children[0]!) {
    delta[cls] = child;
    queue.push(child);
  }
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    const failRow = fail[s]! * width;
    outputs[s]!.push(...outputs[fail[s]!]!.filter((p) => !outputs[s]!.includes(p)));
    // A state goes where its failure state goes (a shallower state: its row is complete),
    // except on its own children: a row copy, not a Map lookup per class.
    delta.copyWithin(s * width, failRow, failRow + width);
    for (const [cls, child] of children[s]!) {
      fail[child] = delta[failRow + cls]!;
      delta[s * width + cls] = child;
      queue.push(child);
    }
  }
  // Renumber the states so that those ending a pattern come last: one comparison tells
  // whether a state has output, with no table read (the root has none, and stays 0).
  const order: number[] = [];
  for (let s = 0; s < states; s++) if (outputs[s]!.length === 0) order.push(s);
  const firstOutput = order.length;
  for (let s = 0; s < states; s++) if (outputs[s]!.length > 0) order.push(s);
  const renamed = new Int32Array(states);
  order.forEach((old, id) => {
    renamed[old] = id;
  });
  const table = states <= 0xffff ? new Uint16Array(states * width) : new Int32Array(states * width);
  for (let id = 0; id < states; id++) {
    const row = order[id]! * width;
    // Class 0 (a unit in no pattern) stays 0: back to the root.
    for (let cls = 1; cls < width; cls++) table[id * width + cls] = renamed[delta[row + cls]!]!;
  }
  // Outputs in compressed rows, by new state number.
  const outStart = new Int32Array(states + 1);
  for (let id = 0; id < states; id++) outStart[id + 1] = outStart[id]! + outputs[order[id]!]!.length;
  const outList = new Int32Array(outStart[states]!);
  for (let id = 0; id < states; id++) outList.set(outputs[order[id]!]!, outStart[id]!);

  return {
    patterns,
    automaton: { classOf, table, width, firstOutput },
    emit(reached, onMatch) {
      const { matchState, matchEnd, matches } = reached;
      for (let m = 0; m < matches; m++) {
        const s = matchState[m]!;
        const end = matchEnd[m]!;
        const to = outStart[s + 1]!;
        for (let k = outStart[s]!; k < to; k++) onMatch(outList[k]!, end);
      }
    },
    statesWith(test) {
      const flags = new Uint8Array(states);
      for (let id = firstOutput; id < states; id++) {
        for (let k = outStart[id]!; k < outStart[id + 1]!; k++) if (test(outList[k]!)) flags[id] = 1;
      }
      return flags;
    },
    scan(units, length, onMatch) {
      let s = 0;
      for (let i = 0; i < length; i++) {
        // No branch on class 0: its column is 0 (the root) in every row.
        s = table[s * width + classOf[units[i]!]!]!;
        if (s < firstOutput) continue;
        const to = outStart[s + 1]!;
        for (let k = outStart[s]!; k < to; k++) onMatch(outList[k]!, i + 1);
      }
    },
  };
}
