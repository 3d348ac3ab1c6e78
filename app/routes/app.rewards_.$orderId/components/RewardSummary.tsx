import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { formatNumber } from "../../../components/format";
import type { RewardTimeline } from "../../../services/admin/reward-timeline.server";

export type RewardSummaryProps = {
  timeline: Pick<
    RewardTimeline,
    | "amount"
    | "currency"
    | "actionId"
    | "tokensDistributed"
    | "tokensReversed"
    | "debt"
    | "skipReason"
  >;
};

function Row({ label, value }: { label: string; value: string }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" alignment="end" numeric breakWord>
        {value}
      </Text>
    </InlineStack>
  );
}

export function RewardSummary({ timeline }: RewardSummaryProps) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Reward
        </Text>
        <Row label="Amount that earns" value={`${timeline.amount} ${timeline.currency}`} />
        <Row
          label="Tokens given"
          value={
            timeline.tokensDistributed === null
              ? "Not yet"
              : formatNumber(timeline.tokensDistributed)
          }
        />
        <Row label="Tokens clawed back" value={formatNumber(timeline.tokensReversed)} />
        <Row label="Customer debt" value={formatNumber(timeline.debt)} />
        {timeline.actionId && <Row label="SIR action" value={timeline.actionId} />}
        {timeline.skipReason && (
          <Text as="p" tone="subdued">
            Not rewarded: {timeline.skipReason}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
