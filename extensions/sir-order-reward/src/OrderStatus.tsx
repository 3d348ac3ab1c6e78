/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { OrderReward } from "./OrderReward";

export default async () => {
  const orderId = shopify.order.value?.id;
  render(<OrderReward api={shopify} orderId={orderId} />, document.body);
};
