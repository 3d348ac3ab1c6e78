// GET /api/shopper/orders/:orderId/reward (SHOPPER_API.orderReward): the thank-you block
// (checkout token) and the order-status block (customer account token).
import { orderRewardLoader, shopperAction } from "../shopper/endpoints.server";

export const loader = orderRewardLoader;
export const action = shopperAction;
