import { describe, expect, it } from "vitest";
import { formatWidgetSizes, measureWidgetSizes, WIDGET_BUDGETS } from "./asset-sizes";

describe("donate widget size budgets", () => {
  const sizes = measureWidgetSizes();

  it("prints the sizes", () => {
    console.info(formatWidgetSizes(sizes).join("\n"));
  });

  it("keeps the script within 4 KB gzipped and theme check's raw limit", () => {
    expect(sizes.js.gzipBytes).toBeLessThanOrEqual(WIDGET_BUDGETS.jsGzipBytes);
    expect(sizes.js.bytes).toBeLessThanOrEqual(WIDGET_BUDGETS.jsRawBytes);
  });

  it("keeps the stylesheet within 2 KB gzipped", () => {
    expect(sizes.css.gzipBytes).toBeLessThanOrEqual(WIDGET_BUDGETS.cssGzipBytes);
  });

  it("keeps all Liquid within Shopify's 100 KB", () => {
    expect(sizes.liquidFiles).toEqual(
      expect.arrayContaining([
        "blocks/donate.liquid",
        "blocks/donate-embed.liquid",
        "snippets/sir-donate.liquid",
      ]),
    );
    expect(sizes.liquidBytes).toBeLessThanOrEqual(WIDGET_BUDGETS.liquidBytes);
  });
});
