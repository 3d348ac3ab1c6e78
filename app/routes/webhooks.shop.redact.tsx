import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "../webhooks/receive-shopify-webhook.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);
