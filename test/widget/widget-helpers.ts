import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { WIDGET_JS } from "./paths";

type MessageKey = string;
export interface WidgetHelpers {
  parseMinorUnits(text: string, digits: number): number | null;
  amountError(minor: number | null, digits: number): MessageKey;
  checkDonation(input: {
    amountText: string;
    digits: number;
    email?: string;
    emailMode: string;
  }): { minor: number } | { error: MessageKey; field: "amount" | "email" };
  errorKey(status?: number): MessageKey;
  isEmail(text: string): boolean;
  /** The exponent the widget counts in, from its root's data-* attributes (a DOMStringMap). */
  minorDigits(data: { digits?: string; locale?: string; currency: string }): number;
}

/** Runs the shipped asset in a bare context with no widgets on the page; its test hook hands back the pure helpers. */
export function loadWidgetHelpers(): WidgetHelpers {
  let helpers: WidgetHelpers | undefined;
  const context: Record<string, unknown> = {
    sirDonateTestHook: (exposed: WidgetHelpers) => (helpers = exposed),
    document: { querySelectorAll: () => [], addEventListener: () => undefined },
  };
  context.window = context;
  runInNewContext(readFileSync(WIDGET_JS, "utf8"), context);
  if (!helpers) throw new Error("sir-donate.js did not call its test hook");
  return helpers;
}

/** The widget root's data-* attributes as the browser's dataset has them (camelCase keys). */
export function widgetDataset(html: string): Record<string, string> {
  const root = /<div\s+id="sir-donate-[^"]*"([\s\S]*?)>/.exec(html);
  if (!root) throw new Error("no widget root in:\n" + html);
  return Object.fromEntries(
    [...root[1].matchAll(/data-([\w-]+)(?:="([^"]*)")?/g)].map((m) => [
      m[1].replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      m[2] ?? "",
    ]),
  );
}
