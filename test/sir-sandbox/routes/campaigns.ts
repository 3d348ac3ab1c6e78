/** Campaigns (read-only in the sandbox; the control API creates them with the partner). */
import { notFound } from "../errors";
import { activeCampaign } from "../ledger";
import type { Route } from "../router";
import type { Campaign } from "../state";

export const campaignRoutes: Route[] = [
  {
    method: "GET",
    path: "campaigns",
    auth: "hmac",
    scope: "campaigns:read",
    handle: ({ context, partner }) => ({
      status: 200,
      body: {
        campaigns: partner.campaignIds.map((id) =>
          describeCampaign(context.state.campaigns.get(id)!),
        ),
      },
    }),
  },
  {
    method: "GET",
    path: "campaigns/active",
    auth: "hmac",
    scope: "campaigns:read",
    handle: ({ context, partner }) => {
      const campaign = activeCampaign(context, partner);
      if (!campaign) throw notFound("No active campaign");
      return { status: 200, body: describeCampaign(campaign) };
    },
  },
  {
    method: "GET",
    path: "campaigns/:campaignId",
    auth: "hmac",
    scope: "campaigns:read",
    handle: ({ context, partner, params }) => {
      const campaign = context.state.campaigns.get(params.campaignId);
      if (campaign?.partnerId !== partner.id) {
        throw notFound(`Campaign ${params.campaignId} not found`);
      }
      return { status: 200, body: describeCampaign(campaign) };
    },
  },
];

function describeCampaign(campaign: Campaign) {
  const { id, name, status, baseMultiplier, actionTypes, tokenPoolId, createdAt } = campaign;
  return { id, name, status, baseMultiplier, actionTypes, tokenPoolId, createdAt };
}
