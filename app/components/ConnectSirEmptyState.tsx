import { Card, EmptyState } from "@shopify/polaris";

export const EMPTY_STATE_IMAGE =
  "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

/** What every page shows before SIR is connected: the one next step. */
export function ConnectSirEmptyState({ purpose }: { purpose: string }) {
  return (
    <Card>
      <EmptyState
        heading="Connect your SIR Giving account"
        action={{ content: "Connect SIR", url: "/app/settings" }}
        image={EMPTY_STATE_IMAGE}
      >
        <p>
          {purpose} You need the publishable key, secret key and HMAC secret from your SIR Giving
          partner account.
        </p>
      </EmptyState>
    </Card>
  );
}
