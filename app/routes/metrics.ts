import type { LoaderFunctionArgs } from "@remix-run/node";
import { answerMetricsRequest } from "../metrics/endpoint.server";

// /metrics under `shopify app dev`; the production server answers it ahead of Remix
// (server.mjs), with the same handler.
export const loader = ({ request }: LoaderFunctionArgs) => answerMetricsRequest(request);
