// What a command reads and writes instead of the process's globals: its streams, environment,
// working directory, Ctrl-C and exit. bin/newswatch.js passes the process's own (processIo);
// tests call main() in-process with in-memory streams (test/support/cli.ts), which spares
// them the ~1.3 s a spawned `newswatch` spends loading tsx.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where a command prints: a terminal's stream has isTTY and columns. */
export type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
/** Where a command reads JSONL from: isTTY when a person is typing. */
export type InStream = NodeJS.ReadableStream & { isTTY?: boolean };
export type Env = Record<string, string | undefined>;

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Env;
  /** Relative paths (--config, --store, --out, files) resolve against this directory. */
  cwd: string;
  /** Calls `listener` on each Ctrl-C (SIGINT) or SIGTERM; returns a function that stops listening. */
  onInterrupt(listener: () => void): () => void;
  /**
   * Ends the program at once (a second Ctrl-C, a closed pipe): process.exit for the real
   * command; in-process the caller settles with `code`. Without a code: the exit code set so
   * far, else 0. Code after it must not rely on it not returning.
   */
  exit(code?: number): void;
}

/** The real process's streams, environment, directory and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Lazily: only commands that read stdin touch it (creating it can hold a terminal open).
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
    exit: (code) => process.exit(code),
  };
}

/** `path` as the command sees it: relative to its working directory. */
export function inCwd(io: Pick<CliIo, 'cwd'>, path: string): string {
  return resolve(io.cwd, path);
}

/**
 * Reads `file` relative to the command's directory. A failure's message names the file as
 * the user wrote it (`open 'a.txt'`), not the absolute path it was resolved to.
 */
export function readFileIn(io: Pick<CliIo, 'cwd'>, file: string): Buffer {
  const path = inCwd(io, file);
  try {
    return readFileSync(path);
  } catch (e) {
    if (e instanceof Error && path !== file) e.message = e.message.replace(`'${path}'`, `'${file}'`);
    throw e;
  }
}
