import { lazy, Suspense, useMemo } from "react";
import { BlockStack, Box, Text } from "@shopify/polaris";
import type { DataSeries } from "@shopify/polaris-viz";
import { ClientOnly } from "./ClientOnly";
import { formatDay, formatNumber } from "./format";

export type TokensOnDay = { date: string; tokens: number };

const CHART_HEIGHT = 240;

// Most of polaris-viz (text measurement tables, d3) is only needed to draw the
// chart, so it loads in its own chunk once the page is interactive.
const BarChart = lazy(() =>
  import("@shopify/polaris-viz").then(({ BarChart }) => ({ default: BarChart })),
);

const shortDay = (date: string) => formatDay(date).replace(/, \d{4}$/, "");
const tokens = (value: string | number | null) => (value === null ? "" : formatNumber(+value));

// polaris-viz measures its container and reads `window` while rendering, so the
// chart is drawn in the browser only; the server's HTML (and screen readers)
// get the summary and the same numbers as a table.
export function TokensPerDayChart({ days, title }: { days: TokensOnDay[]; title: string }) {
  const total = days.reduce((sum, day) => sum + day.tokens, 0);
  const summary = `${formatNumber(total)} tokens from ${formatDay(days[0].date)} to ${formatDay(days[days.length - 1].date)}.`;
  const data = useMemo<DataSeries[]>(
    () => [{ name: "Tokens", data: days.map((day) => ({ key: day.date, value: day.tokens })) }],
    [days],
  );

  return (
    <BlockStack gap="200">
      <figure aria-label={`${title}: ${summary}`} style={{ margin: 0 }}>
        <div aria-hidden="true" style={{ height: CHART_HEIGHT }}>
          <ClientOnly>
            {() => (
              <Suspense fallback={null}>
                <BarChart
                  theme="DailyBars"
                  data={data}
                  showLegend={false}
                  xAxisOptions={{ labelFormatter: (key) => shortDay(String(key)) }}
                  yAxisOptions={{ labelFormatter: tokens, integersOnly: true }}
                  tooltipOptions={{
                    titleFormatter: (key) => formatDay(String(key)),
                    valueFormatter: tokens,
                  }}
                />
              </Suspense>
            )}
          </ClientOnly>
        </div>
        <figcaption style={{ marginTop: "var(--p-space-200)" }}>
          <Text as="p" variant="bodySm" tone="subdued">
            {summary} Days in UTC.
          </Text>
        </figcaption>
      </figure>
      <Box visuallyHidden>
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Tokens</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.date}>
                <th scope="row">{formatDay(day.date)}</th>
                <td>{formatNumber(day.tokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
    </BlockStack>
  );
}
