import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Liquid, type TagToken, type TopLevelToken } from "liquidjs";
import { EXTENSION_DIR } from "./paths";

export type BlockFile = "donate" | "donate-embed" | "sir-estimate";

/** The app-data metafields the admin writes, as plain values (the Liquid sees `{ value }`). */
export interface SirMetafields {
  publishable_key?: string;
  api_base_url?: string;
  environment?: "sandbox" | "production";
  default_nonprofit?: string;
  configured?: boolean;
  [key: string]: unknown;
}

export interface RenderOptions {
  block?: BlockFile;
  settings?: Record<string, unknown>;
  metafields?: SirMetafields | null;
  designMode?: boolean;
  locale?: string;
  currency?: string;
  blockId?: string;
}

export const CONFIGURED_METAFIELDS: SirMetafields = {
  publishable_key: "pk_test_widget",
  api_base_url: "https://devapi.sirgiving.org",
  environment: "sandbox",
  default_nonprofit: "american-red-cross",
  configured: true,
};

interface SchemaSetting {
  id?: string;
  type: string;
  default?: unknown;
}

export interface BlockSchema {
  settings: SchemaSetting[];
  [key: string]: unknown;
}

export function blockSchema(block: BlockFile): BlockSchema {
  const source = readFileSync(join(EXTENSION_DIR, "blocks", `${block}.liquid`), "utf8");
  const match = /{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/.exec(source);
  if (!match) throw new Error(`blocks/${block}.liquid has no schema`);
  return JSON.parse(match[1]);
}

/** Settings as Shopify hands them to Liquid when the merchant kept every default. */
export function defaultSettings(block: BlockFile): Record<string, unknown> {
  const settings = blockSchema(block).settings.filter((setting) => setting.id);
  return Object.fromEntries(
    settings.map((setting) => [
      setting.id,
      setting.default ?? (setting.type === "checkbox" ? false : ""),
    ]),
  );
}

export function readLocale(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXTENSION_DIR, "locales", file), "utf8"));
}

function lookup(tree: Record<string, unknown>, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], tree);
}

/**
 * Shopify's `t` filter over the extension's storefront locales: the shopper's locale, then the
 * default one; `{{ name }}` placeholders take the filter's keyword arguments. A missing key throws
 * so a test catches it (Shopify would print "translation missing").
 */
function translator(locale: string) {
  const fallback = readLocale("en.default.json");
  const own = locale === "en" ? fallback : readLocale(`${locale}.json`);
  return (key: string, ...args: [string, unknown][]) => {
    const text = lookup(own, key) ?? lookup(fallback, key);
    if (typeof text !== "string") throw new Error(`translation missing: ${locale}.${key}`);
    const values = Object.fromEntries(args);
    return text.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) => String(values[name] ?? ""));
  };
}

export function createEngine(locale: string): Liquid {
  const engine = new Liquid({
    root: join(EXTENSION_DIR, "blocks"),
    partials: join(EXTENSION_DIR, "snippets"),
    extname: ".liquid",
    strictFilters: true,
  });
  // Shopify reads {% schema %} itself; on the page it renders nothing.
  engine.registerTag("schema", {
    parse(_token: TagToken, remainTokens: TopLevelToken[]) {
      for (let token = remainTokens.shift(); token; token = remainTokens.shift()) {
        if ((token as TagToken).name === "endschema") return;
      }
      throw new Error("{% schema %} is not closed");
    },
    render() {
      return "";
    },
  });
  engine.registerFilter("t", translator(locale));
  // Shopify's divided_by: integer division (floor) when both operands are integers.
  engine.registerFilter("divided_by", (dividend: unknown, divisor: unknown) => {
    const [a, b] = [Number(dividend), Number(divisor)];
    return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
  });
  return engine;
}

function wrapMetafields(metafields: SirMetafields | null | undefined) {
  if (!metafields) return {};
  const wrapped = Object.entries(metafields).map(([key, value]) => [key, { value }]);
  return { sir_rewards: Object.fromEntries(wrapped) };
}

/** Renders an app block the way Shopify does, with the global objects the extension reads. */
export async function renderBlock(options: RenderOptions = {}): Promise<string> {
  const block = options.block ?? "donate";
  const locale = options.locale ?? "en";
  const currency = options.currency ?? "USD";
  const globals = {
    app: {
      metafields: wrapMetafields(
        options.metafields === undefined ? CONFIGURED_METAFIELDS : options.metafields,
      ),
    },
    request: { design_mode: options.designMode ?? false, locale: { iso_code: locale } },
    shop: { currency },
    cart: { currency: { iso_code: currency } },
  };
  const settings = { ...defaultSettings(block), ...options.settings };
  return createEngine(locale).renderFile(
    block,
    { block: { id: options.blockId ?? "AbC123", settings } },
    { globals },
  );
}

/**
 * A storefront page around rendered blocks, loading the assets as Shopify does for a schema's
 * `javascript` (deferred) and `stylesheet`.
 */
export function storefrontPage({
  main,
  body = "",
  locale = "en",
}: {
  main: string;
  body?: string;
  locale?: string;
}): string {
  return `<!doctype html>
<html lang="${locale}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Test store</title>
    <link rel="stylesheet" href="/assets/sir-donate.css">
    <script src="/assets/sir-donate.js" defer></script>
  </head>
  <body>
    <main>
      <h1>Test store</h1>
      ${main}
    </main>
    ${body}
  </body>
</html>`;
}
