import type { ReactNode } from "react";
import { BlockStack, Card, InlineGrid, Link, Text } from "@shopify/polaris";
import { formatNumber, plural } from "../format";

export type LedgerStatsProps = {
  ordersRewarded: number;
  tokensDistributed: number;
  tokensReversed: number;
  debt: number;
  failed: number;
};

function Stat({ label, value, detail }: { label: string; value: string; detail?: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {detail && (
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export function LedgerStats(stats: LedgerStatsProps) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
      <Stat label="Orders rewarded" value={formatNumber(stats.ordersRewarded)} />
      <Stat label="Tokens distributed" value={formatNumber(stats.tokensDistributed)} />
      <Stat
        label="Tokens clawed back"
        value={formatNumber(stats.tokensReversed)}
        detail={
          stats.debt > 0
            ? `${plural(stats.debt, "token", "tokens")} were already spent and became customer debt.`
            : "After refunds and cancellations."
        }
      />
      <Stat
        label="Failures needing attention"
        value={formatNumber(stats.failed)}
        detail={
          stats.failed > 0 ? (
            <Link url="/app/rewards?status=failed">Review and retry failed rewards</Link>
          ) : (
            "Nothing needs your attention."
          )
        }
      />
    </InlineGrid>
  );
}
