import type { ActionFunctionArgs } from "@remix-run/node";
import { answerRequest } from "../webhooks/delivery.server";
import { receiveSirWebhook } from "../webhooks/receive-sir-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  answerRequest(request, receiveSirWebhook);
