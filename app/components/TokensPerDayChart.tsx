import { BlockStack, Box, Text } from "@shopify/polaris";
import { formatDay, formatNumber } from "./format";

export type TokensOnDay = { date: string; tokens: number };

// A small SVG bar chart until @shopify/polaris-viz is added to the project.
// Screen readers get the same numbers as a table.
const WIDTH = 720;
const HEIGHT = 220;
const PLOT = { left: 56, right: 8, top: 12, bottom: 28 };
const GRID_LINES = 4;
const LABEL_EVERY_DAYS = 7;

/** The smallest 1, 2 or 5 × 10^n at or above `value`, so grid labels are round numbers. */
function roundUp(value: number): number {
  if (value <= 0) return GRID_LINES;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((candidate) => candidate * magnitude >= value)!;
  return step * magnitude;
}

const shortDay = (date: string) => formatDay(date).replace(/, \d{4}$/, "");

export function TokensPerDayChart({ days, title }: { days: TokensOnDay[]; title: string }) {
  const max = roundUp(Math.max(...days.map((day) => day.tokens)));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(slot * 0.7, 1);
  const y = (tokens: number) => PLOT.top + plotHeight - (tokens / max) * plotHeight;
  const total = days.reduce((sum, day) => sum + day.tokens, 0);
  const summary = `${formatNumber(total)} tokens from ${formatDay(days[0].date)} to ${formatDay(days[days.length - 1].date)}.`;

  return (
    <BlockStack gap="200">
      <figure style={{ margin: 0 }}>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width="100%"
          role="img"
          aria-label={`${title}: ${summary}`}
          style={{ display: "block" }}
        >
          {Array.from({ length: GRID_LINES + 1 }, (_, line) => {
            const value = (max / GRID_LINES) * line;
            return (
              <g key={line} aria-hidden="true">
                <line
                  x1={PLOT.left}
                  x2={WIDTH - PLOT.right}
                  y1={y(value)}
                  y2={y(value)}
                  stroke="var(--p-color-border-secondary, #e3e3e3)"
                />
                <text
                  x={PLOT.left - 8}
                  y={y(value) + 4}
                  textAnchor="end"
                  fontSize="11"
                  fill="var(--p-color-text-secondary, #616161)"
                >
                  {formatNumber(value)}
                </text>
              </g>
            );
          })}
          {days.map((day, index) => {
            const x = PLOT.left + index * slot + (slot - barWidth) / 2;
            return (
              <g key={day.date}>
                <rect
                  x={x}
                  y={y(day.tokens)}
                  width={barWidth}
                  height={PLOT.top + plotHeight - y(day.tokens)}
                  rx={2}
                  fill="var(--p-color-bg-fill-success, #29845a)"
                >
                  <title>{`${formatDay(day.date)}: ${formatNumber(day.tokens)} tokens`}</title>
                </rect>
                {(days.length - 1 - index) % LABEL_EVERY_DAYS === 0 && (
                  <text
                    x={x + barWidth / 2}
                    y={HEIGHT - 8}
                    textAnchor="middle"
                    fontSize="11"
                    fill="var(--p-color-text-secondary, #616161)"
                    aria-hidden="true"
                  >
                    {shortDay(day.date)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
        <figcaption>
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
