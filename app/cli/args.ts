import { parseArgs } from "node:util";
import { isShopDomain } from "../webhooks/request-guards.server";

/** Bad arguments: the CLI prints the sentence and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage follows the sentence; the top-level usage when absent. */
    readonly command?: CommandSpec,
  ) {
    super(message);
  }
}

export type OptionSpec = {
  type: "string" | "boolean";
  /** The value's placeholder in the usage line, e.g. "<domain>". */
  value?: string;
  description: string;
  required?: boolean;
};

export type Values = Record<string, string | boolean | undefined>;

export type CommandSpec = {
  /** "shop connect", "backfill". */
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** More lines for `--help`, after the options. */
  notes?: string[];
};

/** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The candidate closest to a mistyped word, if it is close enough to be what was meant. */
export function closest(word: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === null) return null;
  const allowed = Math.min(3, Math.max(1, Math.floor(best.length / 3)));
  return bestDistance <= allowed ? best : null;
}

export const didYouMean = (suggestion: string | null) =>
  suggestion ? ` Did you mean "${suggestion}"?` : "";

export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** Parses a command's options strictly: unknown options (with a suggestion), no positionals. */
export function parseOptions(command: CommandSpec, args: string[]): Values {
  const names = Object.keys(command.options);
  for (const arg of args) {
    if (!arg.startsWith("--") || arg === "--") continue;
    const name = arg.slice(2).split("=")[0];
    if (!names.includes(name)) {
      const suggestion = closest(name, names);
      throw new UsageError(
        `Unknown option "--${name}" for ${command.name}.${didYouMean(suggestion && `--${suggestion}`)}`,
        command,
      );
    }
  }
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, spec]) => [name, { type: spec.type }]),
  );
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    // node's messages ("Option '--shop <value>' argument missing") are sentences already.
    throw new UsageError((error as Error).message.split(". ")[0] + ".", command);
  }
}

export function requireValue(command: CommandSpec, values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new UsageError(`--${name} is required.`, command);
  }
  return value;
}

export function shopArg(command: CommandSpec, values: Values): string {
  const shop = requireValue(command, values, "shop");
  if (!isShopDomain(shop)) {
    throw new UsageError(`--shop must be a *.myshopify.com domain, not "${shop}".`, command);
  }
  return shop;
}

/**
 * A real calendar date, YYYY-MM-DD, not after today (UTC): 2026-02-31 and 2026-13-01 are
 * refused, 2024-02-29 is not.
 */
export function calendarDate(command: CommandSpec, name: string, value: string, now: Date): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(
      `--${name} must be a date that exists, written YYYY-MM-DD (such as 2026-01-31), not "${value}".`,
      command,
    );
  }
  const today = now.toISOString().slice(0, 10);
  if (value > today) {
    throw new UsageError(
      `--${name} must not be in the future: ${value} is after today (${today}, UTC).`,
      command,
    );
  }
  return date;
}
