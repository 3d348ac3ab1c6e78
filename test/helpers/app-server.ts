import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TEST_APP_ENV } from "./app-env";

const ROOT = join(import.meta.dirname, "..", "..");

export type AppServer = {
  url: string;
  process: ChildProcess;
  output(): string;
  /** Graceful stop (SIGTERM), resolves when the process has exited. */
  stop(): Promise<void>;
  /** Abrupt death (SIGKILL), as in a crash. */
  kill(): Promise<void>;
};

// The V8 heap flags `npm start` runs the server with (package.json is their one home): without a
// cap, V8 lets a busy server's heap grow far past what it holds live.
const START_SCRIPT = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start;
const SERVER_NODE_FLAGS = /node ((?:--\S+ )*)server\.mjs/
  .exec(START_SCRIPT)![1]
  .split(" ")
  .filter(Boolean);

// Runs the production build (server.mjs) as a real process on a free port,
// so tests speak HTTP to exactly what merchants would run.
export async function startAppServer(
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<AppServer> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("startAppServer needs a database URL");
  // APP_NODE_ARGS: Node flags for the app process, e.g. "--cpu-prof" to profile a bench run
  // (Node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = process.env.APP_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...nodeArgs, join(ROOT, "server.mjs")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...TEST_APP_ENV,
        NODE_ENV: "production",
        LOG_LEVEL: process.env.APP_LOG_LEVEL ?? "warn",
        DATABASE_URL: databaseUrl,
        HOST: "127.0.0.1",
        PORT: "0",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`app server did not start:\n${output}`)),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/"msg":"server listening","port":(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app server exited with ${code}:\n${output}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
  };
}
