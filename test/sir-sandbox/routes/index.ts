import type { Route } from "../router";
import { actionRoutes } from "./actions";
import { campaignRoutes } from "./campaigns";
import { poolRoutes } from "./pools";
import { userRoutes } from "./users";
import { webhookRoutes } from "./webhooks";
import { widgetRoutes } from "./widget";

/** Every /v1/partner/ route the sandbox implements. */
export const partnerRoutes: Route[] = [
  ...actionRoutes,
  ...poolRoutes,
  ...campaignRoutes,
  ...userRoutes,
  ...webhookRoutes,
  ...widgetRoutes,
];
