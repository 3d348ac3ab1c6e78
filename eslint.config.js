import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "build/",
      ".cache/",
      ".shopify/",
      "test-results/",
      "docs/",
      "extensions/*/assets/*.min.js",
      // UI extensions: the CLI's bundles, and the types it writes (shopify.d.ts).
      "extensions/*/dist/",
      "extensions/*/shopify.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "off",
    },
  },
  {
    // The storefront widget runs in shoppers' browsers, not in Node.
    files: ["extensions/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
