import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Collapsible,
  FormLayout,
  InlineStack,
  Text,
  TextField,
} from "@shopify/polaris";
import { formatDateTime, formatNumber, plural } from "../format";

export type PoolCardProps = {
  pool: {
    name: string | null;
    availableBalance: number;
    lowBalanceThreshold: number | null;
  } | null;
  error: string | null;
  emptySince: string | null;
  low: boolean;
  parked: number;
};

type AllocationResponse =
  | { intent: "request-allocation"; ok: true; message: string }
  | {
      intent: "request-allocation";
      ok: false;
      message?: string;
      errors?: { amount?: string; reason?: string };
    };

function PoolBanner({ emptySince, low, parked, pool }: PoolCardProps) {
  if (emptySince) {
    return (
      <Banner tone="critical" title="Your token pool is empty">
        <p>
          Since {formatDateTime(emptySince)}, SIR has had no tokens to give:{" "}
          {plural(parked, "reward is", "rewards are")} waiting. Request an allocation below; waiting
          rewards are sent by themselves once SIR refills the pool.
        </p>
      </Banner>
    );
  }
  if (low) {
    return (
      <Banner tone="warning" title="Your token pool is running low">
        <p>
          {pool ? `${formatNumber(pool.availableBalance)} tokens are left. ` : ""}Request an
          allocation now so rewards never have to wait.
        </p>
      </Banner>
    );
  }
  return null;
}

export function PoolCard(props: PoolCardProps) {
  const fetcher = useFetcher<AllocationResponse>();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const result = fetcher.data;
  const { pool, error } = props;

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Token pool
        </Text>
        <PoolBanner {...props} />
        {error ? (
          <Banner tone="warning" title="The pool balance could not be read from SIR">
            <p>{error}</p>
          </Banner>
        ) : pool ? (
          <BlockStack gap="100">
            <Text as="p" variant="heading2xl">
              {formatNumber(pool.availableBalance)} tokens
            </Text>
            <Text as="p" tone="subdued">
              Available in {pool.name ?? "your SIR pool"}
              {pool.lowBalanceThreshold !== null
                ? `; SIR warns below ${formatNumber(pool.lowBalanceThreshold)}.`
                : "."}
            </Text>
          </BlockStack>
        ) : (
          <Text as="p">Your SIR account has no token pool yet. Ask SIR to allocate one.</Text>
        )}
        <InlineStack>
          <Button
            onClick={() => setOpen(!open)}
            ariaExpanded={open}
            ariaControls="request-allocation"
          >
            Request allocation
          </Button>
        </InlineStack>
        <Collapsible id="request-allocation" open={open}>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="request-allocation" />
            <FormLayout>
              <TextField
                label="Tokens to request"
                name="amount"
                type="number"
                min={1}
                autoComplete="off"
                value={amount}
                onChange={setAmount}
                error={result && !result.ok ? result.errors?.amount : undefined}
              />
              <TextField
                label="Reason for SIR"
                name="reason"
                autoComplete="off"
                multiline={2}
                value={reason}
                onChange={setReason}
                placeholder="More tokens to keep rewarding orders."
                error={result && !result.ok ? result.errors?.reason : undefined}
              />
              <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                Send request to SIR
              </Button>
            </FormLayout>
          </fetcher.Form>
        </Collapsible>
        {result?.message && (
          <Banner tone={result.ok ? "success" : "critical"}>
            <p>{result.message}</p>
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}
