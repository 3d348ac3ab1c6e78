import type { PartialTheme } from "@shopify/polaris-viz";

/** polaris-viz themes, given to its provider in app/routes/app.tsx; a chart picks one by name. */
export const CHART_THEMES: Record<string, PartialTheme> = {
  // A bar per day for a month: with polaris-viz's default gap (as wide as a
  // bar) the bars get narrower than a date label, and it then drops them all.
  DailyBars: { bar: { gap: 2 } },
};
