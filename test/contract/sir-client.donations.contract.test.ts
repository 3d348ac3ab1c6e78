/**
 * Contract: the SIR client against the SIR sandbox, the donation flow. create-link (publishable
 * key, integer cents) → the hosted checkout → the redirect back with sir_donation_id → status.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DONATION_RETURN_PARAM, donationIdFromReturnUrl } from "../../app/sir";
import { ContractSandbox, clientFor } from "./contract-helpers";

const RETURN_URL = "https://shop.example/pages/thank-you?from=widget";

let sandbox: ContractSandbox;

beforeAll(async () => {
  sandbox = await ContractSandbox.start();
});
afterAll(() => sandbox?.close());

describe("donation flow", () => {
  it.each([
    { campaignMultiplier: undefined, tokens: 25 },
    { campaignMultiplier: 3, tokens: 75 },
  ])(
    "$25.00 with campaign multiplier $campaignMultiplier → COMPLETED with $tokens tokens",
    async ({ campaignMultiplier, tokens }) => {
      const partner = await sandbox.createPartner({ campaignMultiplier });
      const { client } = clientFor(sandbox.url, { publicKey: partner.publicKey });

      const link = await client.createDonationLink({
        nonprofitSlug: "doctors-without-borders",
        amountCents: 2500,
        currency: "USD",
        frequency: "once",
        provider: "stripe",
        donorEmail: "Donor@Example.com",
        firstName: "Grace",
        lastName: "Hopper",
        returnUrl: RETURN_URL,
      });
      const checkoutUrl = `${sandbox.url}/__sandbox/checkout/${link.partnerDonationId}`;
      expect(link.donationLink).toBe(checkoutUrl);
      expect(await client.getDonationStatus(link.partnerDonationId)).toMatchObject({
        status: "PENDING",
        tokensDistributed: 0,
      });

      const page = await fetch(link.donationLink);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("Doctors Without Borders, USA");
      expect(html).toContain("$25.00");
      const payPath = `/__sandbox/checkout/${link.partnerDonationId}/pay`;
      expect(html).toContain(`action="${payPath}"`);

      const paid = await fetch(new URL(payPath, sandbox.url), {
        method: "POST",
        redirect: "manual",
      });
      expect(paid.status).toBe(303);
      const location = paid.headers.get("location") ?? "";
      const back = new URL(location);
      expect(`${back.origin}${back.pathname}`).toBe("https://shop.example/pages/thank-you");
      expect(back.searchParams.get("from")).toBe("widget");
      expect(back.searchParams.get(DONATION_RETURN_PARAM)).toBe(link.partnerDonationId);
      expect(donationIdFromReturnUrl(location)).toBe(link.partnerDonationId);

      const status = await client.getDonationStatus(link.partnerDonationId);
      expect(status).toMatchObject({
        partnerDonationId: link.partnerDonationId,
        status: "COMPLETED",
        amount: 2500,
        currency: "USD",
        tokensDistributed: tokens,
      });

      // The tokens went to the donor as a DONATION action, read through the secret-key client.
      const secret = clientFor(sandbox.url, partner).client;
      const action = await secret.getAction(String(status.actionId));
      expect(action).toMatchObject({
        actionType: "DONATION",
        tokensDistributed: tokens,
        partnerUserId: "donor@example.com",
        partnerDonationId: link.partnerDonationId,
      });
    },
  );
});
