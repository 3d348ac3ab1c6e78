/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { ESTIMATE_METAFIELD } from "../../../app/shopper/contract";
import {
  checkoutEstimateUnits,
  findEstimateSettings,
} from "../../sir-shopper-lib/checkout-estimate";
import { messageValues } from "../../sir-shopper-lib/i18n";

export default async () => {
  render(<CheckoutEstimate />, document.body);
};

/** Re-renders as the cart changes: the signals' `.value` reads subscribe this component. */
function CheckoutEstimate() {
  const settings = findEstimateSettings(shopify.appMetafields.value, ESTIMATE_METAFIELD.key);
  if (!settings) return null;
  const lines = shopify.lines.value;
  const units = checkoutEstimateUnits(
    {
      currency: shopify.cost.subtotalAmount.value.currencyCode,
      lineTotals: lines.map((line) => line.cost.totalAmount.amount),
      cartDiscounts: shopify.discountAllocations.value.map((a) => a.discountedAmount.amount),
      shipping: shopify.cost.totalShippingAmount.value?.amount,
      tax: shopify.cost.totalTaxAmount.value?.amount,
    },
    settings,
  );
  if (units === null) return null;
  const t = shopify.i18n.translate;
  const locale = shopify.localization.language.value.isoCode;
  return (
    <s-stack gap="small-400">
      <s-text type="strong">
        {t("estimate.earn", messageValues(settings.unit, locale, units))}
      </s-text>
      <s-text color="subdued">{t("estimate.note")}</s-text>
    </s-stack>
  );
}
