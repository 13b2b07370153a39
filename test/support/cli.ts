// `newswatch ...` in-process: main(argv, io) with in-memory streams, the same code path as
// the real command below its entry point (bin/newswatch.js only adds the process's streams,
// signals and exit code). Spares each call the ~1.3 s a spawned CLI spends loading tsx;
// spawn only where the process itself is under test (signals, a closed pipe, the bin script).
import { PassThrough, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import type { CliIo, Env } from '../../cli/io.ts';
import { main } from '../../cli/main.ts';

/** The repository root: the working directory of a command unless a test gives another. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  /** The exit code: main's result, or what the command exited with (a second Ctrl-C, a closed pipe). */
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The command's whole environment (default none: a developer's own variables never reach a test). */
  env?: Env;
  /** Its working directory (default the repository root). */
  cwd?: string;
  /** What it reads on stdin: a string (then end of input), or a stream the test writes to. Default: empty. */
  stdin?: string | NodeJS.ReadableStream;
  /** Which streams look like a terminal (isTTY), and the terminal's width. Default: none, as when piped. */
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean; columns?: number };
}

/** A command started with startCli: its output so far, Ctrl-C, and its result. */
export interface RunningCli {
  stdout(): string;
  stderr(): string;
  /** Resolves once `stream`'s output so far matches `pattern` (rejects when the command ends first). */
  waitFor(pattern: RegExp | string, stream?: 'stdout' | 'stderr'): Promise<string>;
  /** Ctrl-C: what SIGINT does to the real command (a second call: pressed twice). */
  interrupt(): void;
  /** Settles when main resolves or the command exits. */
  done: Promise<CliResult>;
  /** Settles when main itself has returned: after an exit (a second Ctrl-C), once the command has also let go of its store. */
  finished: Promise<number>;
}

/** Runs `newswatch ...args` in-process to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Starts `newswatch ...args` in-process, for commands that run until stopped (run, serve) or read a stream. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const tty = options.tty ?? {};
  const out = collector(tty.stdout === true, tty.columns);
  const err = collector(tty.stderr === true, tty.columns);
  const stdin = typeof options.stdin === 'object' ? options.stdin : new PassThrough().end(options.stdin ?? '');
  if (tty.stdin) (stdin as { isTTY?: boolean }).isTTY = true;

  const listeners = new Set<() => void>();
  let exited: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const io: CliIo = {
    stdout: out.stream,
    stderr: err.stream,
    stdin,
    env: { ...options.env },
    cwd: options.cwd ?? ROOT,
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exit: (code) => exited(code ?? 0),
  };
  const finished = main(args, io);
  const done = Promise.race([finished, exit]).then((code) => ({ code, stdout: out.text(), stderr: err.text() }));
  let ended = false;
  void done.then(() => {
    ended = true;
    out.stream.emit('ended');
    err.stream.emit('ended');
  });

  return {
    stdout: out.text,
    stderr: err.text,
    done,
    finished,
    interrupt() {
      for (const l of [...listeners]) l();
    },
    waitFor(pattern, which = 'stdout') {
      const c = which === 'stdout' ? out : err;
      const test = () => (typeof pattern === 'string' ? c.text().includes(pattern) : pattern.test(c.text()));
      return new Promise((resolve, reject) => {
        const check = () => {
          if (test()) {
            c.stream.off('written', check);
            c.stream.off('ended', fail);
            resolve(c.text());
          }
        };
        const fail = () => {
          c.stream.off('written', check);
          reject(new Error(`newswatch ${args.join(' ')} ended without ${which} matching ${String(pattern)}:\n${c.text()}`));
        };
        if (test()) return resolve(c.text());
        if (ended) return fail();
        c.stream.on('written', check);
        c.stream.once('ended', fail);
      });
    },
  };
}

/** A writable stream keeping what is written as text; emits 'written' after each write. */
function collector(isTTY: boolean, columns: number | undefined): { stream: Writable & { isTTY?: boolean; columns?: number }; text: () => string } {
  const decoder = new StringDecoder('utf8');
  let text = '';
  const stream: Writable & { isTTY?: boolean; columns?: number } = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      callback();
      stream.emit('written');
    },
  });
  if (isTTY) {
    stream.isTTY = true;
    stream.columns = columns ?? 100;
  }
  return { stream, text: () => text };
}
