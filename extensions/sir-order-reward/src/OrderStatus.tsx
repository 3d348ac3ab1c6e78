/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { OrderReward } from "./OrderReward";

export default async () => {
  const orderId = shopify.order.value?.id;
  // Pre-authenticated (opened from the order email, not logged in): the account page would not
  // open, so the block says where the balance is instead of linking to it.
  const authenticated = shopify.authenticationState?.value === "fully_authenticated";
  render(
    <OrderReward
      api={shopify}
      surface={{ target: "customer-account.order-status.block.render", authenticated }}
      orderId={orderId}
    />,
    document.body,
  );
};
