import { UsageError, type CommandSpec, type Values } from "./args";
import type { CliIo } from "./io";

export type SecretSpec = {
  /** The option, without its dashes: "secret-key". */
  option: string;
  /** The environment variable that supplies it when the option is absent. */
  env: string;
  /** What it is, for prompts and messages: "SIR secret key". */
  label: string;
};

/**
 * Reads secret options without requiring them on the command line, where `ps` and shell
 * history keep them. For each secret, in this order of preference:
 * - `--<option> -`: read from standard input. On a terminal, a prompt that does not echo;
 *   otherwise one line per secret given as `-`, in the order of `specs` (whatever order the
 *   options were typed in);
 * - `--<option> <value>`: works, with a warning on stderr;
 * - the environment variable.
 * A secret is never printed.
 */
export async function readSecrets(
  command: CommandSpec,
  values: Values,
  specs: SecretSpec[],
  io: CliIo,
): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {};
  const fromStdin: SecretSpec[] = [];
  for (const spec of specs) {
    const given = values[spec.option];
    if (given === "-") fromStdin.push(spec);
    else if (typeof given === "string" && given !== "") {
      io.err(
        `Warning: --${spec.option} was given on the command line, where ps and your shell history keep it. ` +
          `Next time pass "--${spec.option} -" to read it from standard input, or set ${spec.env}.`,
      );
      secrets[spec.option] = given;
    } else if (io.env[spec.env]) {
      secrets[spec.option] = io.env[spec.env]!.trim();
    } else {
      throw new UsageError(
        `--${spec.option} is required: set ${spec.env}, or pass "--${spec.option} -" to read it from standard input.`,
        command,
      );
    }
  }
  if (fromStdin.length === 0) return secrets;

  if (io.stdin.isTTY) {
    for (const spec of fromStdin) {
      const value = (await promptHidden(io, `${spec.label} (not shown)`)).trim();
      if (!value)
        throw new UsageError(`No ${spec.label} was typed for --${spec.option} -.`, command);
      secrets[spec.option] = value;
    }
    return secrets;
  }
  const lines = (await readAll(io.stdin)).split(/\r?\n/);
  fromStdin.forEach((spec, index) => {
    const value = lines[index]?.trim();
    if (!value) {
      const which = fromStdin.length > 1 ? `line ${index + 1} of standard input` : "standard input";
      throw new UsageError(
        `--${spec.option} - reads the ${spec.label} from ${which}, which is empty.` +
          (fromStdin.length > 1
            ? ` With several secrets as -, give one per line: ${fromStdin.map((s) => `--${s.option}`).join(", then ")}.`
            : ""),
        command,
      );
    }
    secrets[spec.option] = value;
  });
  return secrets;
}

async function readAll(stdin: CliIo["stdin"]): Promise<string> {
  let text = "";
  stdin.setEncoding("utf8");
  for await (const chunk of stdin) text += chunk as string;
  return text;
}

/** Reads one line from a terminal with echo off (raw mode), showing nothing as it is typed. */
function promptHidden(io: CliIo, label: string): Promise<string> {
  const stdin = io.stdin;
  // Echo off before the prompt shows, so nothing typed after it is echoed.
  stdin.setRawMode?.(true);
  io.errRaw(`${label}: `);
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.errRaw("\n");
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          finish();
          resolve(value);
          return;
        }
        if (char === "\u0003") {
          finish();
          reject(new Error("Interrupted."));
          return;
        }
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.setEncoding("utf8");
    stdin.on("data", onData);
    stdin.resume();
  });
}
