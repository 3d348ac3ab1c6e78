import { Severity, themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./paths";

describe("theme check on extensions/sir-donate", () => {
  // Offline, theme check logs that it cannot fetch the newest Liquid docs and uses its bundled copy.
  it("reports no errors", { timeout: 120_000 }, async () => {
    const { offenses, config } = await themeCheckRun(EXTENSION_DIR);
    expect(config.context).toBe("app");
    const describe = (offense: (typeof offenses)[number]) =>
      `${offense.uri.replace(/^.*extensions\//, "extensions/")}:${offense.start.line + 1} ${offense.check}: ${offense.message}`;
    const warnings = offenses.filter((offense) => offense.severity !== Severity.ERROR);
    if (warnings.length)
      console.warn(`theme check warnings:\n${warnings.map(describe).join("\n")}`);
    expect(offenses.filter((offense) => offense.severity === Severity.ERROR).map(describe)).toEqual(
      [],
    );
  });
});
