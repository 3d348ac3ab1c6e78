/**
 * The sandbox-hosted checkout that stands in for Stripe / Every.org (sandbox-only HTML):
 *   GET  /__sandbox/checkout/:id         page with the nonprofit, the amount, Pay and Cancel
 *   POST /__sandbox/checkout/:id/pay     completes the donation
 *   POST /__sandbox/checkout/:id/cancel  marks it FAILED
 * Both POSTs redirect (303) to returnUrl with sir_donation_id=<id>, or show a result page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "./context";
import { minorUnitExponent } from "./currency";
import { decimalFromMinorUnits, formatDecimal } from "./decimal";
import { cancelDonation, completeDonation } from "./donations";
import { readRawBody, redirect, sendHtml } from "./http";
import type { Donation, Organization } from "./state";

export const CHECKOUT_PREFIX = "/__sandbox/checkout/";

export function createCheckoutHandler(context: SandboxContext) {
  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    await readRawBody(request);
    const [donationId, step, ...rest] = url.pathname.slice(CHECKOUT_PREFIX.length).split("/");
    const donation = context.state.donations.get(donationId);
    if (!donation || rest.length > 0) {
      sendHtml(
        response,
        404,
        page(
          "Checkout not found",
          "<p>This checkout link does not exist (the sandbox may have been reset).</p>",
        ),
      );
      return;
    }
    const organization = context.state.organizations.get(donation.nonprofitSlug)!;
    if (request.method === "GET" && step === undefined) {
      sendHtml(response, 200, checkoutPage(donation, organization));
    } else if (request.method === "POST" && (step === "pay" || step === "cancel")) {
      if (step === "pay") completeDonation(context, donation);
      else cancelDonation(donation);
      // behaviour.donationReturnUrl: SIR may ignore returnUrl, or not append sir_donation_id.
      const way = context.state.behaviour.donationReturnUrl;
      if (donation.returnUrl && way !== "ignored") {
        redirect(
          response,
          way === "no-param"
            ? donation.returnUrl
            : withDonationId(donation.returnUrl, donation.partnerDonationId),
        );
      } else {
        sendHtml(response, 200, resultPage(donation, organization));
      }
    } else {
      sendHtml(response, 405, page("Not allowed", "<p>Use the buttons on the checkout page.</p>"));
    }
  };
}

function withDonationId(returnUrl: string, partnerDonationId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set("sir_donation_id", partnerDonationId);
  return url.toString();
}

function checkoutPage(donation: Donation, organization: Organization): string {
  const action = `${CHECKOUT_PREFIX}${encodeURIComponent(donation.partnerDonationId)}`;
  const tip =
    donation.tipAmountCents !== null && donation.tipAmountCents > 0
      ? `<p>Tip to SIR Giving: ${escapeHtml(formatMoney(donation.tipAmountCents, donation.currency))}</p>`
      : "";
  const frequency = donation.frequency === "monthly" ? " per month" : "";
  const body = `
    <p class="banner">SIR Giving sandbox: simulated ${escapeHtml(donation.provider)} checkout, no money moves.</p>
    <img src="${escapeHtml(organization.logoUrl)}" alt="" width="64" height="64">
    <h1>Donate to ${escapeHtml(organization.name)}</h1>
    <p class="amount">${escapeHtml(formatMoney(donation.amountCents, donation.currency))}${frequency}</p>
    ${tip}
    <p>Status: <strong>${donation.status}</strong></p>
    ${
      donation.status === "PENDING"
        ? `<form method="post" action="${action}/pay"><button type="submit">Pay</button></form>
    <form method="post" action="${action}/cancel"><button type="submit" class="secondary">Cancel</button></form>`
        : ""
    }`;
  return page(`Donate to ${organization.name}`, body);
}

function resultPage(donation: Donation, organization: Organization): string {
  const message =
    donation.status === "COMPLETED"
      ? `Thank you! Your donation to ${escapeHtml(organization.name)} is complete and earned ${donation.tokensDistributed} SIR tokens.`
      : `Your donation to ${escapeHtml(organization.name)} was not completed.`;
  return page(
    "Donation " + donation.status.toLowerCase(),
    `<h1>${message}</h1><p>Donation id: ${escapeHtml(donation.partnerDonationId)}</p>`,
  );
}

/** Minor units of the currency per ISO 4217 (`currency.ts`), shown with exactly that many decimals. */
function formatMoney(minor: number, currency: string): string {
  const digits = minorUnitExponent(currency);
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(formatDecimal(decimalFromMinorUnits(minor, digits)) as `${number}`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }
  .banner { background: #fff4d6; padding: 0.5rem 0.75rem; border-radius: 6px; font-size: 0.9rem; }
  .amount { font-size: 2rem; font-weight: 600; }
  button { font-size: 1rem; padding: 0.6rem 1.4rem; margin: 0.25rem 0; border-radius: 6px; border: 0; background: #1a7f37; color: #fff; }
  button.secondary { background: #ddd; color: #222; }
</style>
</head>
<body>${body}</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
