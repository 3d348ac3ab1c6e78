import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveSirWebhook } from "../webhooks/receive-sir-webhook.server";

export const action = ({ request }: ActionFunctionArgs) => receiveSirWebhook(request);
