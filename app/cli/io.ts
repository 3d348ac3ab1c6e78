import type { Readable } from "node:stream";

/** What a command reads and writes, so tests can run one in-process. */
export type CliIo = {
  out(text: string): void;
  err(text: string): void;
  /** Writes to stderr without a newline (progress bars, prompts). */
  errRaw(text: string): void;
  /** Whether stderr is a terminal (progress bar rather than plain lines). */
  errIsTTY: boolean;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: Record<string, string | undefined>;
  now(): Date;
};

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    errRaw: (text) => process.stderr.write(text),
    errIsTTY: Boolean(process.stderr.isTTY),
    stdin: process.stdin,
    env: process.env,
    now: () => new Date(),
  };
}
