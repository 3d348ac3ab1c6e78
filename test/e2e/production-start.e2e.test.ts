import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_APP_ENV } from "../helpers/app-env";
import { waitFor } from "../helpers/wait-for";

// `npm start` exactly as package.json has it (npm runs a script with sh -c), on a fresh SQLite
// database: the container's CMD is the same command (test/deploy/container.test.ts).
const ROOT = join(import.meta.dirname, "..", "..");
const START_SCRIPT = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start;
// What encryption.server derives when no key is set (development and tests only).
const DEVELOPMENT_KEY = createHash("sha256").update("sir-rewards-development-only-key").digest();
const HOW_TO = "Generate one with `openssl rand -hex 32`";

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "sir-start-"));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function start(env: Record<string, string | undefined>) {
  const environment: Record<string, string | undefined> = {
    ...process.env,
    ...TEST_APP_ENV,
    // Not set: `npm start` itself makes it production.
    NODE_ENV: undefined,
    LOG_LEVEL: "warn",
    DATABASE_URL: `file:${join(directory, "start.sqlite")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    ...env,
  };
  const child = spawn("sh", ["-c", START_SCRIPT], {
    cwd: ROOT,
    env: environment as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : -1))),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

const firstLine = (text: string) => JSON.parse(text.split("\n")[0]) as Record<string, unknown>;

describe("npm start", () => {
  it.each([
    ["without ENCRYPTION_KEY", undefined, /ENCRYPTION_KEY is not set/],
    [
      "with the development key",
      DEVELOPMENT_KEY.toString("hex"),
      /development key, which is public/,
    ],
    ["with it as base64", DEVELOPMENT_KEY.toString("base64"), /development key, which is public/],
    ["with a malformed key", "not-a-key", /ENCRYPTION_KEY must be 32 bytes/],
  ])("refuses to start %s: exit code 1 and the sentence", async (_case, key, sentence) => {
    const run = start({ ENCRYPTION_KEY: key });
    const code = await run.exited;
    expect(code).toBe(1);
    expect(firstLine(run.stdout())).toMatchObject({ msg: "starting in production" });
    const refusal = JSON.parse(run.stderr().trim().split("\n").at(-1)!) as Record<string, string>;
    expect(refusal.level).toBe("error");
    expect(refusal.msg).toMatch(sentence);
    expect(refusal.msg).toContain(HOW_TO);
    // Refused before migrating or listening.
    expect(run.stdout()).not.toMatch(/database migrated|server listening/);
  });

  it("with a key: says production first, migrates the fresh database, serves /healthz and /readyz", async () => {
    const run = start({ ENCRYPTION_KEY: "5c".repeat(32) });
    try {
      const port = await waitFor(
        () => /"msg":"server listening","port":(\d+)/.exec(run.stdout())?.[1],
        { what: `the server listening\n${run.stdout()}${run.stderr()}`, timeoutMs: 90_000 },
      );
      const first = firstLine(run.stdout());
      expect(first).toMatchObject({ level: "info", msg: "starting in production" });
      expect(first.node).toBe(process.version);
      expect(run.stdout()).toMatch(/"msg":"database migrated","detail":"sqlite: applied \S*_init/);
      const url = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${url}/healthz`)).text()).toBe("ok\n");
      const ready = await waitFor(
        async () => {
          const response = await fetch(`${url}/readyz`);
          return response.status === 200 ? response.json() : null;
        },
        { what: "/readyz 200", timeoutMs: 10_000 },
      );
      expect(ready).toMatchObject({ status: "ready", failed: [] });
    } finally {
      process.kill(-run.child.pid!, "SIGTERM");
      await run.exited;
    }
  }, 120_000);

  it("is production whatever NODE_ENV the shell had", async () => {
    const run = start({ NODE_ENV: "development", ENCRYPTION_KEY: undefined });
    expect(await run.exited).toBe(1);
    expect(firstLine(run.stdout())).toMatchObject({
      msg: "starting in production",
      nodeEnvIgnored: "development",
    });
    expect(run.stderr()).toMatch(/ENCRYPTION_KEY is not set/);
  });
});
