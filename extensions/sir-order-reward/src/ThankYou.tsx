/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { THANK_YOU_RETRY_DELAYS_MS } from "../../sir-shopper-lib/messages";
import { OrderReward } from "./OrderReward";

export default async () => {
  const orderId = shopify.orderConfirmation.value?.order?.id;
  render(
    <OrderReward
      api={shopify}
      surface={{ target: "purchase.thank-you.block.render" }}
      orderId={orderId}
      retryDelaysMs={THANK_YOU_RETRY_DELAYS_MS}
    />,
    document.body,
  );
};
