import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./paths";
import {
  blockSchema,
  CONFIGURED_METAFIELDS,
  readLocale,
  renderBlock,
  type BlockFile,
} from "./render-liquid";

const BLOCKS: BlockFile[] = ["donate", "donate-embed"];
const SECRET_KEY = "sk_test_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";

function widgetData(html: string): Record<string, string> {
  const root = /<div\s+id="sir-donate-[^"]*"([\s\S]*?)>/.exec(html);
  if (!root) throw new Error("no widget root in:\n" + html);
  return Object.fromEntries(
    [...root[1].matchAll(/data-([\w-]+)(?:="([^"]*)")?/g)].map((m) => [m[1], m[2] ?? ""]),
  );
}

function messages(html: string): Record<string, string> {
  const script = /<script type="application\/json" data-sir-messages>([\s\S]*?)<\/script>/.exec(
    html,
  );
  if (!script) throw new Error("no messages");
  return JSON.parse(script[1]);
}

function keyPaths(tree: unknown, prefix = ""): string[] {
  if (typeof tree !== "object" || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([key, value]) =>
    keyPaths(value, prefix ? `${prefix}.${key}` : key),
  );
}

describe.each(BLOCKS)("blocks/%s.liquid", (block) => {
  it("renders the widget with the publishable key and public settings when configured", async () => {
    const html = await renderBlock({ block });
    expect(widgetData(html)).toMatchObject({
      "sir-donate": "",
      key: "pk_test_widget",
      api: "https://devapi.sirgiving.org",
      nonprofit: "american-red-cross",
      currency: "USD",
      locale: "en",
      email: "optional",
    });
    expect(html).toContain('data-amount="25"');
    expect(messages(html).thanks_other).toBe("Thank you — you earned {tokens} SIR tokens.");
  });

  it("hands the script the ISO 4217 exponent of the cart's currency from the app's metafield", async () => {
    const minor_units = { JPY: 0, KWD: 3, IQD: 3 }; // as the app writes it: the non-2 entries
    const digits = async (currency: string) =>
      widgetData(
        await renderBlock({
          block,
          currency,
          metafields: { ...CONFIGURED_METAFIELDS, minor_units },
        }),
      ).digits;
    expect(await digits("JPY")).toBe("0");
    expect(await digits("KWD")).toBe("3");
    expect(await digits("IQD")).toBe("3");
    expect(await digits("HUF")).toBe("2");
    expect(await digits("USD")).toBe("2");
    // Settings saved before the app wrote the table: no attribute, the script asks Intl.
    expect(widgetData(await renderBlock({ block, currency: "JPY" }))).not.toHaveProperty("digits");
  });

  it("never lets a secret key reach the page", async () => {
    const leaky = { ...CONFIGURED_METAFIELDS, secret_key: SECRET_KEY, hmac_secret: "f".repeat(64) };
    const html = await renderBlock({ block, metafields: leaky, designMode: true });
    expect(html).toContain("pk_test_widget");
    expect(html).not.toMatch(/sk_(test|live)_/);
    expect(html).not.toContain("f".repeat(64));

    const misfiled = await renderBlock({
      block,
      metafields: { ...CONFIGURED_METAFIELDS, publishable_key: SECRET_KEY },
    });
    expect(misfiled.trim()).toBe("");
  });

  it.each([
    ["no metafields", null],
    ["configured = false", { ...CONFIGURED_METAFIELDS, configured: false }],
    ["no publishable key", { ...CONFIGURED_METAFIELDS, publishable_key: undefined }],
  ])(
    "renders nothing for shoppers with %s, and a hint in the theme editor",
    async (_, metafields) => {
      expect((await renderBlock({ block, metafields })).trim()).toBe("");
      const editor = await renderBlock({ block, metafields, designMode: true });
      expect(editor).toContain('class="sir-donate-hint"');
      expect(editor).toContain("SIR Rewards is not connected yet.");
      expect(editor).not.toContain("data-sir-donate");
    },
  );

  it("needs a nonprofit from the block or the app default", async () => {
    const metafields = { ...CONFIGURED_METAFIELDS, default_nonprofit: "" };
    expect((await renderBlock({ block, metafields })).trim()).toBe("");
    expect(await renderBlock({ block, metafields, designMode: true })).toContain(
      "Choose a nonprofit",
    );
    const chosen = await renderBlock({
      block,
      metafields,
      settings: { nonprofit_slug: " feeding-america " },
    });
    expect(widgetData(chosen).nonprofit).toBe("feeding-america");
  });

  it("prefers the block's nonprofit over the app default and escapes it", async () => {
    const html = await renderBlock({
      block,
      settings: { nonprofit_slug: 'a"><script>x</script>' },
    });
    expect(html).not.toContain("<script>x");
    expect(html).toMatch(/data-nonprofit="a(&#34;|&quot;)&gt;&lt;script&gt;x&lt;\/script&gt;"/);
  });

  it("derives the API host from the environment when no base URL is stored", async () => {
    const sandbox = {
      ...CONFIGURED_METAFIELDS,
      api_base_url: undefined,
      environment: "sandbox" as const,
    };
    expect(widgetData(await renderBlock({ block, metafields: sandbox })).api).toBe(
      "https://devapi.sirgiving.org",
    );
    const production = { ...sandbox, environment: "production" as const };
    const html = await renderBlock({ block, metafields: production });
    expect(widgetData(html).api).toBe("https://api.sirgiving.org");
    expect(html).not.toContain("Test mode");
  });

  it.each([
    ["fr", "Choisissez un montant", "EUR"],
    ["es", "Elige un importe", "EUR"],
    ["de", "Betrag wählen", "EUR"],
    ["en", "Choose an amount", "GBP"],
  ])("speaks %s and passes the cart currency", async (locale, legend, currency) => {
    const html = await renderBlock({ block, locale, currency });
    expect(html).toContain(`<legend>${legend}</legend>`);
    expect(widgetData(html)).toMatchObject({ locale, currency });
  });

  it("applies the block's settings", async () => {
    const html = await renderBlock({
      block,
      settings: {
        preset_amounts: "5, 12.50,,",
        allow_custom: false,
        frequency: "choice",
        show_tip: false,
        donor_email: "required",
        button_label: "Give now",
        accent_color: "#004488",
        accent_text_color: "#ffffff",
      },
    });
    expect([...html.matchAll(/data-amount="([^"]*)"/g)].map((m) => m[1])).toEqual(["5", "12.50"]);
    expect(html).not.toContain('name="custom"');
    expect(html).toContain('value="monthly"');
    expect(html).not.toContain('name="tip"');
    expect(html).toMatch(/<input type="email" name="email"[^>]* required/);
    expect(html).toContain("Give now");
    expect(html).toContain("--sir-accent: #004488; --sir-on-accent: #ffffff;");
  });

  it("follows the theme's colours by default", async () => {
    expect(await renderBlock({ block })).not.toContain("--sir-accent");
  });
});

describe("block and embed", () => {
  it("wraps only the embed in a floating disclosure", async () => {
    expect(await renderBlock({ block: "donate" })).not.toContain("<details");
    const embed = await renderBlock({ block: "donate-embed", settings: { position: "left" } });
    expect(embed).toMatch(
      /^\s*<aside\s+class="sir-donate-float sir-donate-float--left"\s+aria-label="Donate to a cause"/,
    );
    expect(embed).toContain("<details>");
    expect(embed).toContain("<summary>Donate</summary>");
  });

  it("target a section and the body, load the same assets and hide without configuration", () => {
    const [donate, embed] = BLOCKS.map(blockSchema);
    expect(donate).toMatchObject({
      target: "section",
      javascript: "sir-donate.js",
      stylesheet: "sir-donate.css",
    });
    expect(embed).toMatchObject({
      target: "body",
      javascript: "sir-donate.js",
      stylesheet: "sir-donate.css",
    });
    for (const schema of [donate, embed]) {
      expect(schema.available_if).toBe("{{ app.metafields.sir_rewards.configured }}");
    }
  });

  it("share every donate setting, so the two schemas cannot drift", () => {
    const [donate, embed] = BLOCKS.map(blockSchema);
    for (const setting of donate.settings) {
      expect(embed.settings).toContainEqual(setting);
    }
  });
});

describe("locales", () => {
  const files = readdirSync(join(EXTENSION_DIR, "locales"));

  it("cover English, French, Spanish and German for shoppers and merchants", () => {
    for (const locale of ["en.default", "fr", "es", "de"]) {
      expect(files).toContain(`${locale}.json`);
      expect(files).toContain(`${locale}.schema.json`);
    }
  });

  it.each(["fr", "es", "de"])("%s translates every key", (locale) => {
    expect(keyPaths(readLocale(`${locale}.json`)).sort()).toEqual(
      keyPaths(readLocale("en.default.json")).sort(),
    );
    expect(keyPaths(readLocale(`${locale}.schema.json`)).sort()).toEqual(
      keyPaths(readLocale("en.default.schema.json")).sort(),
    );
  });
});
