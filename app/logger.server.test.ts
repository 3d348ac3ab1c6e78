import { execFile } from "node:child_process";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createLogger, withLogContext } from "./logger.server";
import { redact, registerSecret } from "./log-redaction.server";

const capture = (level: Parameters<typeof createLogger>[1] = "debug") => {
  const lines: string[] = [];
  return {
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    logger: createLogger({ component: "test" }, level, (line) => lines.push(line)),
  };
};

describe("logger", () => {
  it("writes one JSON line per event with the context fields", () => {
    const { lines, logger } = capture();
    logger.child({ shop: "a.myshopify.com" }).info("reward sent", { tokens: 10, big: 12n });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: "info",
      msg: "reward sent",
      component: "test",
      shop: "a.myshopify.com",
      tokens: 10,
      big: "12",
    });
    expect(new Date(JSON.parse(lines[0]).time).toISOString()).toBe(JSON.parse(lines[0]).time);
  });

  it("carries shop, orderId, eventId and rewardId through children, a field given again once", () => {
    const { lines, logger } = capture();
    const forEvent = logger.child({ shop: "a.myshopify.com", eventId: "evt-1" });
    forEvent.child({ orderId: "1001", rewardId: "rw_1" }).warn("reward failed", { shop: "b" });
    expect(lines[0].match(/"shop"/g)).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      component: "test",
      shop: "b",
      eventId: "evt-1",
      orderId: "1001",
      rewardId: "rw_1",
    });
  });

  it("adds the ambient context (withLogContext) to every line written inside it, across awaits", async () => {
    const { entries, logger } = capture();
    await withLogContext({ shop: "a.myshopify.com", rewardId: "rw_1" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await withLogContext({ orderId: "1001" }, async () => logger.warn("SIR request failed"));
      logger.info("own field wins", { rewardId: "rw_2" });
    });
    logger.info("outside");
    expect(entries().map(({ shop, rewardId, orderId }) => ({ shop, rewardId, orderId }))).toEqual([
      { shop: "a.myshopify.com", rewardId: "rw_1", orderId: "1001" },
      { shop: "a.myshopify.com", rewardId: "rw_2", orderId: undefined },
      { shop: undefined, rewardId: undefined, orderId: undefined },
    ]);
  });

  it("never writes a secret, by key or by shape", () => {
    const { lines, logger } = capture();
    const secretKey = "sk_test_" + "a1".repeat(32);
    logger.warn("careless", {
      connection: {
        secretKey,
        hmacSecret: "0123abcd",
        webhookSecret: "whsec_abc123",
        publicKey: "pk_test_1",
      },
      accessToken: "shpat_live",
      token: "t0k3n",
      note: `failed with ${secretKey} and whsec_zz99`,
      error: new Error(`boom ${secretKey}`),
    });
    const line = lines[0];
    expect(line).not.toContain(secretKey);
    expect(line).not.toContain("0123abcd");
    expect(line).not.toContain("whsec_");
    expect(line).not.toContain("shpat_live");
    expect(line).not.toContain("t0k3n");
    expect(line).toContain("pk_test_1");
    expect(JSON.parse(line).connection.secretKey).toBe("[redacted]");
  });

  it("redacts whatever is under a secret-looking name, in any case and spelling", () => {
    const { entries, logger } = capture();
    logger.info("headers", {
      "X-Shopify-Access-Token": "plain-value-1",
      "x-partner-key": "plain-value-2",
      refresh_token: "plain-value-3",
      METRICS_TOKEN: "plain-value-4",
      "x-api-key": "plain-value-5",
      Cookie: "plain-value-6",
      client_secret: "plain-value-7",
    });
    expect(Object.values(entries()[0]).filter((v) => String(v).startsWith("plain-value"))).toEqual(
      [],
    );
  });

  it("keeps what is not secret: counts of tokens, ids, publishable keys, plain URLs", () => {
    const { entries, logger } = capture();
    logger.info("Token pool empty; Basic plan", {
      tokens: 10,
      tokensReversed: 3,
      idempotencyKey: "shop:1001:purchase",
      publicKey: "pk_live_abc",
      url: "https://sir.test/v1/actions?shop=a.myshopify.com&page=2",
      hasSecret: false,
      webhookSecret: null,
    });
    expect(entries()[0]).toMatchObject({
      msg: "Token pool empty; Basic plan",
      tokens: 10,
      tokensReversed: 3,
      idempotencyKey: "shop:1001:purchase",
      publicKey: "pk_live_abc",
      url: "https://sir.test/v1/actions?shop=a.myshopify.com&page=2",
      hasSecret: false,
      webhookSecret: null,
    });
  });

  it("writes errors with name, message, stack, cause and their own fields", () => {
    const { entries, logger } = capture();
    class SirError extends Error {
      name = "SirError";
      status = 503;
    }
    const error = new SirError("SIR unavailable", { cause: new TypeError("fetch failed") });
    logger.error("worker pass failed", { error });
    const written = entries()[0].error as Record<string, unknown>;
    expect(written).toMatchObject({ name: "SirError", message: "SIR unavailable", status: 503 });
    expect(written.stack).toContain("SIR unavailable");
    expect(written.stack).toContain("logger.server.test.ts");
    expect(written.cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
  });

  it("redacts at any depth and survives cycles, Maps, Sets, bytes and odd values", () => {
    const secret = registerSecret("depth-secret-0123456789");
    let deep: Record<string, unknown> = { value: secret, hmacSecret: "x1" };
    for (let i = 0; i < 20; i += 1) deep = { [`level${i}`]: deep };
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const { lines, logger } = capture();
    logger.info("odd values", {
      deep,
      cyclic,
      map: new Map<unknown, unknown>([
        ["secretKey", "mapped"],
        [1, secret],
      ]),
      set: new Set([secret]),
      bytes: Buffer.from(secret),
      when: new Date("2026-11-21T10:00:00.000Z"),
      fn: () => secret,
      list: [[[[[[[secret]]]]]]],
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).not.toContain("mapped");
    expect(lines[0]).not.toContain("x1");
    const entry = JSON.parse(lines[0]);
    expect(entry.cyclic).toEqual({ name: "loop", self: "[Circular]" });
    expect(entry.bytes).toBe("[Buffer 23 bytes]");
    expect(entry.when).toBe("2026-11-21T10:00:00.000Z");
    // A value reached twice without a cycle is written twice.
    const shared = { a: 1 };
    expect(redact({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });

  it("respects the level, silent writes nothing, fatal is above error", () => {
    const warn = capture("warn");
    warn.logger.debug("hidden");
    warn.logger.info("hidden");
    warn.logger.warn("shown");
    warn.logger.error("shown too");
    warn.logger.fatal("and this");
    expect(warn.entries().map((e) => [e.level, e.msg])).toEqual([
      ["warn", "shown"],
      ["error", "shown too"],
      ["fatal", "and this"],
    ]);
    const silent = capture("silent");
    silent.logger.fatal("nothing");
    silent.logger.error("nothing");
    expect(silent.lines).toEqual([]);
  });

  it("writes stdout asynchronously and loses nothing when the process or a thread exits", async () => {
    const dir = await mkdtemp(join(tmpdir(), "logger-exit-"));
    try {
      // The thread loads the logger through tsx's API: --import does not reach worker threads.
      const tsx = JSON.stringify(createRequire(import.meta.url).resolve("tsx/esm/api"));
      const loggerPath = JSON.stringify(new URL("./logger.server.ts", import.meta.url).href);
      const thread = join(dir, "thread.mjs");
      await writeFile(
        thread,
        `import { tsImport } from ${tsx};
const { logger } = await tsImport(${loggerPath}, import.meta.url);
for (let i = 0; i < 2000; i += 1) logger.info("line", { from: "thread", i, pad: "x".repeat(200) });
process.exit(0);
`,
      );
      const script = join(dir, "main.mjs");
      await writeFile(
        script,
        `import { Worker } from "node:worker_threads";
import { tsImport } from ${tsx};
const { logger } = await tsImport(${loggerPath}, import.meta.url);
for (let i = 0; i < 2000; i += 1) logger.info("line", { from: "main", i, pad: "x".repeat(200) });
new Worker(${JSON.stringify(thread)}).once("exit", () => {
  logger.fatal("stopping", { from: "main" });
  process.exit(3);
});
`,
      );
      const result = await promisify(execFile)(process.execPath, [script], {
        env: { ...process.env, LOG_LEVEL: "info" },
        maxBuffer: 64 * 1024 * 1024,
      }).catch((error: { code: number; stdout: string }) => error);
      expect("code" in result ? result.code : 0).toBe(3);
      const entries = result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { from: string; msg: string });
      expect(entries.filter((e) => e.from === "main" && e.msg === "line")).toHaveLength(2000);
      expect(entries.filter((e) => e.from === "thread" && e.msg === "line")).toHaveLength(2000);
      expect(entries.at(-1)).toMatchObject({ level: "fatal", msg: "stopping" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
