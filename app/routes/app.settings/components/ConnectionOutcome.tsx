import { Banner, BlockStack, List } from "@shopify/polaris";
import { formatNumber } from "../../../components/format";

type TestOutcome =
  | {
      intent: "test-connection";
      ok: true;
      partnerName: string;
      campaign: { name: string; multiplier: string | null } | null;
      pool: { availableBalance: number } | null;
    }
  | { intent: "test-connection"; ok: false; message: string | null };

type SaveOutcome =
  | {
      intent: "save-connection";
      ok: true;
      webhookWarning: string | null;
      widgetWarning: string | null;
    }
  | { intent: "save-connection"; ok: false; message: string | null };

export type ConnectionOutcomeProps = { outcome: TestOutcome | SaveOutcome };

/** The answer to "Test connection" or "Save connection", as sentences. */
export function ConnectionOutcome({ outcome }: ConnectionOutcomeProps) {
  if (!outcome.ok) {
    return outcome.message ? (
      <Banner tone="critical" title="SIR is not connected">
        <p>{outcome.message}</p>
      </Banner>
    ) : (
      <Banner tone="critical">
        <p>Some fields need your attention.</p>
      </Banner>
    );
  }
  if (outcome.intent === "test-connection") {
    return (
      <Banner tone="success" title={`Connected to ${outcome.partnerName}`}>
        <List>
          <List.Item>
            {outcome.campaign
              ? `Active campaign: ${outcome.campaign.name}${outcome.campaign.multiplier ? ` (${outcome.campaign.multiplier}× tokens)` : ""}.`
              : "No campaign is active right now."}
          </List.Item>
          <List.Item>
            {outcome.pool
              ? `Token pool balance: ${formatNumber(outcome.pool.availableBalance)} tokens.`
              : "Your account has no token pool yet."}
          </List.Item>
          <List.Item>The key can reward orders and reverse them after refunds.</List.Item>
        </List>
      </Banner>
    );
  }
  return (
    <BlockStack gap="200">
      <Banner tone="success" title="Connection saved">
        <p>Paid orders are now rewarded with SIR tokens, and refunds take them back.</p>
      </Banner>
      {outcome.webhookWarning && (
        <Banner tone="warning">
          <p>{outcome.webhookWarning}</p>
        </Banner>
      )}
      {outcome.widgetWarning && (
        <Banner tone="warning">
          <p>{outcome.widgetWarning}</p>
        </Banner>
      )}
    </BlockStack>
  );
}
