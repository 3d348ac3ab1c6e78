import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.server";

describe("logger", () => {
  const capture = () => {
    const lines: string[] = [];
    return {
      lines,
      logger: createLogger({ component: "test" }, "debug", (line) => lines.push(line)),
    };
  };

  it("writes one JSON line per event with the context fields", () => {
    const { lines, logger } = capture();
    logger.child({ shop: "a.myshopify.com" }).info("reward sent", { tokens: 10, big: 12n });
    expect(JSON.parse(lines[0])).toMatchObject({
      level: "info",
      msg: "reward sent",
      component: "test",
      shop: "a.myshopify.com",
      tokens: 10,
      big: "12",
    });
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

  it("respects the level", () => {
    const lines: string[] = [];
    const logger = createLogger({}, "warn", (line) => lines.push(line));
    logger.info("hidden");
    logger.error("shown");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["shown"]);
  });
});
