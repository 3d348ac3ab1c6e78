import { readinessResponse } from "../health.server";

// Readiness: database, worker thread, inbox age (app/health.server.ts). Served ahead of Remix
// by server.mjs in production; this route serves it under `shopify app dev`.
export const loader = () => readinessResponse();
