import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TokensPerDayChart } from "./TokensPerDayChart";

const days = [
  { date: "2026-11-19", tokens: 1200 },
  { date: "2026-11-20", tokens: 0 },
  { date: "2026-11-21", tokens: 40 },
];

describe("TokensPerDayChart on the server", () => {
  // polaris-viz reads `window` while rendering: the chart itself is drawn in
  // the browser only (the Chromium test in test/admin checks that it is).
  const html = renderToString(<TokensPerDayChart days={days} title="Tokens per day" />);

  it("renders the summary and the numbers as a table, without the chart", () => {
    expect(html).toContain(
      '<figure aria-label="Tokens per day: 1,240 tokens from Nov 19, 2026 to Nov 21, 2026."',
    );
    expect(html).toContain("1,240 tokens from Nov 19, 2026 to Nov 21, 2026.<!-- --> Days in UTC.");
    expect(html).toContain("<caption>Tokens per day</caption>");
    expect(html).toContain('<th scope="row">Nov 19, 2026</th><td>1,200</td>');
    expect(html).toContain('<th scope="row">Nov 21, 2026</th><td>40</td>');
    expect(html).not.toContain("<svg");
  });
});
