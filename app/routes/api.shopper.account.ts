// GET /api/shopper/account (SHOPPER_API.account): the customer account's balance and history.
import { accountLoader, shopperAction } from "../shopper/endpoints.server";

export const loader = accountLoader;
export const action = shopperAction;
