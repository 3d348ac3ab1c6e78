import { describe, expect, it } from "vitest";
import { ESTIMATE_BUDGETS, formatEstimateSizes, measureEstimateSizes } from "./asset-sizes";

describe("estimate block size budgets", () => {
  const sizes = measureEstimateSizes();

  it("keeps the script within 2 KB gzipped and the stylesheet within 1 KB", () => {
    console.info(formatEstimateSizes(sizes).join("\n"));
    expect(sizes.js.gzipBytes).toBeLessThanOrEqual(ESTIMATE_BUDGETS.jsGzipBytes);
    expect(sizes.css.gzipBytes).toBeLessThanOrEqual(ESTIMATE_BUDGETS.cssGzipBytes);
  });
});
