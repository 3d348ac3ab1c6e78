/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { OrderReward } from "./OrderReward";

export default async () => {
  const orderId = shopify.orderConfirmation.value?.order?.id;
  render(<OrderReward api={shopify} orderId={orderId} />, document.body);
};
