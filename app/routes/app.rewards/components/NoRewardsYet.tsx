import { Card, EmptyState } from "@shopify/polaris";
import { EMPTY_STATE_IMAGE } from "../../../components/ConnectSirEmptyState";

export function NoRewardsYet() {
  return (
    <Card>
      <EmptyState
        heading="No orders rewarded yet"
        action={{ content: "Reward past orders", url: "/app/backfill" }}
        image={EMPTY_STATE_IMAGE}
      >
        <p>
          Paid orders appear here as soon as your customers place them. To reward orders placed
          before you connected SIR, run a backfill.
        </p>
      </EmptyState>
    </Card>
  );
}
