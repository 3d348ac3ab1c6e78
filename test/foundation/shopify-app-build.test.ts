import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

describe("shopify app build", () => {
  // The Shopify CLI (a dev dependency) validates shopify.app.toml and builds
  // every extension without logging in, so it runs offline.
  it("builds the app and its extensions", () => {
    const result = spawnSync(
      join(ROOT, "node_modules", ".bin", "shopify"),
      ["app", "build", "--path", ROOT],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CI: "1", SHOPIFY_CLI_NO_ANALYTICS: "1" },
      },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output).toContain("sir-rewards built!");
  }, 120_000);
});
