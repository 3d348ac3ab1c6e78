import { spawn } from "node:child_process";
import { join } from "node:path";
import { TEST_APP_ENV } from "./app-env";

const ROOT = join(import.meta.dirname, "..", "..");

export type CliResult = { code: number; stdout: string; stderr: string };

/**
 * Runs `npm run cli -- …` exactly as an operator would (same entry, a real
 * process). Asynchronous, so servers living in the test process (the SIR
 * sandbox) keep answering while it runs. `input` is written to its standard
 * input, which is then closed (a pipe, not a terminal).
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  input = "",
): Promise<CliResult> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "app/cli/main.ts"), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...TEST_APP_ENV, LOG_LEVEL: "warn", ...env },
    },
  );
  child.stdin.end(input);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
}
