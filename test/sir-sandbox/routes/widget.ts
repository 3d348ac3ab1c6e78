/** Widget endpoints: publishable key only, callable from a storefront page (CORS). */
import { notFound } from "../errors";
import { createDonation, describeDonationStatus } from "../donations";
import type { Route } from "../router";

export const widgetRoutes: Route[] = [
  {
    method: "GET",
    path: "config",
    auth: "widget",
    handle: ({ context, partner }) => ({
      status: 200,
      body: {
        id: partner.id,
        name: partner.name,
        slug: partner.slug,
        enabledFeatures: ["DONATIONS", "ACTIONS"],
        // ASSUMED shape: the key's requests per window.
        rateLimit: context.state.rateLimit,
        isActive: true,
        webhookUrl: partner.webhookUrl,
        tipConfig: partner.tipConfig,
      },
    }),
  },
  {
    method: "GET",
    path: "organizations/:slug",
    auth: "widget",
    handle: ({ context, params }) => {
      const organization = context.state.organizations.get(params.slug);
      if (!organization) throw notFound(`Nonprofit ${params.slug} not found`);
      return { status: 200, body: organization };
    },
  },
  {
    method: "POST",
    path: "donations/create-link",
    auth: "widget",
    handle: ({ context, partner, body }) => {
      const donation = createDonation(context, partner, body().fields);
      const donationLink = `${context.baseUrl()}/__sandbox/checkout/${donation.partnerDonationId}`;
      return { status: 201, body: { donationLink, partnerDonationId: donation.partnerDonationId } };
    },
  },
  {
    method: "GET",
    path: "donations/status/:partnerDonationId",
    auth: "widget",
    handle: ({ context, partner, params }) => {
      const donation = context.state.donations.get(params.partnerDonationId);
      if (donation?.partnerId !== partner.id) {
        throw notFound(`Donation ${params.partnerDonationId} not found`);
      }
      return { status: 200, body: describeDonationStatus(donation) };
    },
  },
];
