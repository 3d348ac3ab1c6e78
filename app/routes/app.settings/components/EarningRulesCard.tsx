import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  TextField,
} from "@shopify/polaris";
import type { SettingsAction } from "../route";
import type { EarningRules } from "../../../rewards/calculation/settings";

export type EarningRulesCardProps = { rules: EarningRules };

type Toggle = "includeShipping" | "includeTax" | "includePosOrders" | "rewardTestOrders";

const TOGGLES: Array<{ name: Toggle; label: string; helpText: string }> = [
  {
    name: "includeShipping",
    label: "Include shipping",
    helpText:
      "Tokens are earned on the order subtotal after discounts; turn on to count shipping too.",
  },
  {
    name: "includeTax",
    label: "Include tax",
    helpText: "Count taxes in the amount that earns tokens.",
  },
  {
    name: "includePosOrders",
    label: "Reward point-of-sale orders",
    helpText: "Orders placed in your physical stores earn tokens too.",
  },
  {
    name: "rewardTestOrders",
    label: "Reward test orders",
    helpText: "Only while connected to the Sandbox: test orders never earn on Production.",
  },
];

export function EarningRulesCard({ rules }: EarningRulesCardProps) {
  const fetcher = useFetcher<SettingsAction>();
  const [toggles, setToggles] = useState<Record<Toggle, boolean>>({
    includeShipping: rules.includeShipping,
    includeTax: rules.includeTax,
    includePosOrders: rules.includePosOrders,
    rewardTestOrders: rules.rewardTestOrders,
  });
  const [minimum, setMinimum] = useState(rules.minimumOrderAmount ?? "");
  const [customerTags, setCustomerTags] = useState(rules.excludedCustomerTags.join(", "));
  const [productTags, setProductTags] = useState(rules.excludedProductTags.join(", "));

  const outcome = fetcher.data?.intent === "save-rules" ? fetcher.data : null;
  const errors = (outcome && !outcome.ok ? outcome.errors : null) ?? {};

  const save = () =>
    fetcher.submit(
      {
        intent: "save-rules",
        ...Object.fromEntries(Object.entries(toggles).map(([name, on]) => [name, String(on)])),
        minimumOrderAmount: minimum,
        excludedCustomerTags: customerTags,
        excludedProductTags: productTags,
      },
      { method: "post" },
    );

  return (
    <Card>
      <BlockStack gap="400">
        <FormLayout>
          {TOGGLES.map((toggle) => (
            <Checkbox
              key={toggle.name}
              label={toggle.label}
              helpText={toggle.helpText}
              checked={toggles[toggle.name]}
              onChange={(checked) => setToggles({ ...toggles, [toggle.name]: checked })}
              error={errors[toggle.name]}
            />
          ))}
          <TextField
            label="Minimum order amount"
            autoComplete="off"
            inputMode="decimal"
            value={minimum}
            onChange={setMinimum}
            placeholder="No minimum"
            helpText="In your store's currency. Smaller orders earn nothing."
            error={errors.minimumOrderAmount}
          />
          <TextField
            label="Customers who never earn"
            autoComplete="off"
            value={customerTags}
            onChange={setCustomerTags}
            placeholder="wholesale, staff"
            helpText="Customer tags, separated by commas."
            error={errors.excludedCustomerTags}
          />
          <TextField
            label="Products that never earn"
            autoComplete="off"
            value={productTags}
            onChange={setProductTags}
            placeholder="gift-card, donation"
            helpText="Product tags, separated by commas. Other products in the same order still earn."
            error={errors.excludedProductTags}
          />
        </FormLayout>
        <InlineStack align="end">
          <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"}>
            Save earning rules
          </Button>
        </InlineStack>
        {outcome && (
          <Banner tone={outcome.ok ? "success" : "critical"}>
            <p>
              {outcome.ok
                ? "Earning rules saved. They apply to orders paid from now on."
                : "Some rules need your attention; see the fields above."}
            </p>
          </Banner>
        )}
        {outcome?.ok && "estimateWarning" in outcome && outcome.estimateWarning && (
          <Banner tone="warning">
            <p>
              Your rules are saved, but the shoppers&apos; token estimate was not updated:{" "}
              {outcome.estimateWarning} The app tries again within the hour.
            </p>
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}
