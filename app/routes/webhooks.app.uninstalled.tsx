import type { ActionFunctionArgs } from "@remix-run/node";
import { answerRequest } from "../webhooks/delivery.server";
import { receiveShopifyWebhook } from "../webhooks/receive-shopify-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  answerRequest(request, receiveShopifyWebhook);
