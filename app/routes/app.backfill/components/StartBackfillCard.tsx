import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { formatDay } from "../../../components/format";
import type { BackfillAction } from "../route";

export type StartBackfillCardProps = {
  running: boolean;
  /** The earliest date Shopify lets the app read, or null for no limit. */
  earliest: string | null;
  today: string;
  suggested: string;
};

export function StartBackfillCard({ running, earliest, today, suggested }: StartBackfillCardProps) {
  const fetcher = useFetcher<BackfillAction>();
  const [since, setSince] = useState(suggested);
  const error = fetcher.data?.intent === "start" ? fetcher.data.error : null;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="p">
          Rewards paid orders placed before you connected SIR, exactly as if they had just been
          paid: your earning rules apply, and an order already in the ledger is never rewarded
          twice, however often you run this.
        </Text>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="start" />
          <BlockStack gap="300">
            <TextField
              label="Reward paid orders placed on or after"
              name="since"
              type="date"
              autoComplete="off"
              value={since}
              onChange={setSince}
              min={earliest ?? undefined}
              max={today}
              helpText={`Up to today, ${formatDay(today)}.${
                earliest
                  ? ` Shopify lets this app read only the last 60 days of orders (from ${formatDay(earliest)}).`
                  : ""
              }`}
              error={error ?? undefined}
            />
            <InlineStack>
              <Button
                submit
                variant="primary"
                disabled={running}
                loading={fetcher.state !== "idle"}
              >
                Start backfill
              </Button>
            </InlineStack>
            {running && (
              <Text as="p" tone="subdued">
                A backfill is running. You can leave this page: it carries on, and you can pause it
                below.
              </Text>
            )}
          </BlockStack>
        </fetcher.Form>
      </BlockStack>
    </Card>
  );
}
