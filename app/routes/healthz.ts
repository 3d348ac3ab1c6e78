import { livenessResponse } from "../health.server";

// Liveness: the process answers. Served ahead of Remix by server.mjs in production
// (app/health.server.ts); this route serves it under `shopify app dev`.
export const loader = () => livenessResponse();
