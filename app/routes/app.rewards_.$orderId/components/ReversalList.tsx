import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { formatDateTime, formatNumber } from "../../../components/format";
import type { ReversalEntry } from "../../../services/admin/reward-timeline.server";

const KIND_LABELS: Record<string, string> = { refund: "Refund", cancel: "Cancellation" };
const STATUS_LABELS: Record<string, string> = {
  pending: "Waiting to be sent",
  applied: "Done",
  failed: "Failed",
};

const tokens = (value: number | null) => (value === null ? "—" : formatNumber(value));

export function ReversalList({ reversals }: { reversals: ReversalEntry[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Reversals
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text"]}
          headings={["What", "Received", "Share", "Tokens clawed back", "Debt", "Status"]}
          rows={reversals.map((reversal) => [
            KIND_LABELS[reversal.kind] ?? reversal.kind,
            formatDateTime(reversal.at),
            reversal.percent ? `${reversal.percent} %` : "—",
            tokens(reversal.tokensClawedBack),
            tokens(reversal.debt),
            reversal.error
              ? `${STATUS_LABELS[reversal.status] ?? reversal.status}: ${reversal.error}`
              : (STATUS_LABELS[reversal.status] ?? reversal.status),
          ])}
        />
        <Text as="p" variant="bodySm" tone="subdued">
          Debt is tokens the customer had already spent: SIR takes them from the customer&apos;s
          future earnings.
        </Text>
      </BlockStack>
    </Card>
  );
}
