import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { EXTENSION_DIR } from "./paths";

/**
 * Storefront budgets of the donate widget. The gzip budgets are ours; theme check separately fails
 * a schema-referenced script above 10,000 raw bytes, and Shopify caps all Liquid at 100 KB.
 */
export const WIDGET_BUDGETS = {
  jsGzipBytes: 4096,
  jsRawBytes: 10_000,
  cssGzipBytes: 2048,
  liquidBytes: 100 * 1024,
} as const;

export interface AssetSize {
  file: string;
  bytes: number;
  /** gzip at zlib's default level, a little above what a CDN's maximum compression serves. */
  gzipBytes: number;
}

export interface WidgetSizes {
  js: AssetSize;
  css: AssetSize;
  liquidFiles: string[];
  liquidBytes: number;
}

function measureAsset(extensionDir: string, file: string): AssetSize {
  const content = readFileSync(join(extensionDir, file));
  return { file, bytes: content.length, gzipBytes: gzipSync(content).length };
}

export function measureWidgetSizes(extensionDir: string = EXTENSION_DIR): WidgetSizes {
  const liquidFiles = ["blocks", "snippets"].flatMap((folder) =>
    readdirSync(join(extensionDir, folder))
      .filter((name) => name.endsWith(".liquid"))
      .map((name) => `${folder}/${name}`),
  );
  const liquidBytes = liquidFiles.reduce(
    (sum, file) => sum + readFileSync(join(extensionDir, file)).length,
    0,
  );
  return {
    js: measureAsset(extensionDir, "assets/sir-donate.js"),
    css: measureAsset(extensionDir, "assets/sir-donate.css"),
    liquidFiles,
    liquidBytes,
  };
}

/** One line per budget, for `npm run bench`. */
export function formatWidgetSizes(sizes: WidgetSizes = measureWidgetSizes()): string[] {
  const { js, css, liquidBytes, liquidFiles } = sizes;
  const budgets = WIDGET_BUDGETS;
  return [
    `widget ${js.file}: ${js.gzipBytes} B gzip (budget ${budgets.jsGzipBytes}), ${js.bytes} B raw (theme check limit ${budgets.jsRawBytes})`,
    `widget ${css.file}: ${css.gzipBytes} B gzip (budget ${budgets.cssGzipBytes}), ${css.bytes} B raw`,
    `widget Liquid (${liquidFiles.length} files): ${liquidBytes} B (Shopify limit ${budgets.liquidBytes})`,
  ];
}

/** Storefront budgets of the token estimate block (blocks/sir-estimate.liquid). */
export const ESTIMATE_BUDGETS = { jsGzipBytes: 2048, cssGzipBytes: 1024 } as const;

export function measureEstimateSizes(extensionDir: string = EXTENSION_DIR) {
  return {
    js: measureAsset(extensionDir, "assets/sir-estimate.js"),
    css: measureAsset(extensionDir, "assets/sir-estimate.css"),
    liquid: readFileSync(join(extensionDir, "blocks/sir-estimate.liquid")).length,
  };
}

/** One line per budget, for the bench. */
export function formatEstimateSizes(sizes = measureEstimateSizes()): string[] {
  return [
    `estimate ${sizes.js.file}: ${sizes.js.gzipBytes} B gzip (budget ${ESTIMATE_BUDGETS.jsGzipBytes}), ${sizes.js.bytes} B raw`,
    `estimate ${sizes.css.file}: ${sizes.css.gzipBytes} B gzip (budget ${ESTIMATE_BUDGETS.cssGzipBytes}), ${sizes.css.bytes} B raw`,
    `estimate blocks/sir-estimate.liquid: ${sizes.liquid} B`,
  ];
}
