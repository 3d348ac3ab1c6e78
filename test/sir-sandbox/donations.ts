/**
 * Donations made through the widget: a PENDING donation per create-link, completed or failed
 * on the sandbox-hosted checkout page (standing in for Stripe / Every.org).
 *
 * ASSUMED: donation tokens = amount in major units (cents / 100) × the multiplier of the ACTIVE
 * campaign covering "DONATION", rounded half up; the tip earns nothing; a monthly donation is
 * simulated as its first payment only; the donor is the user named by donorEmail (lower-cased),
 * else an anonymous user "donor:<partnerDonationId>".
 */
import { isoNow, type SandboxContext } from "./context";
import { decimalFromMinorUnits, formatDecimal } from "./decimal";
import { SirApiError, notFound, validationError } from "./errors";
import { newObjectId } from "./ids";
import { submitAction } from "./ledger";
import type { Donation, Partner } from "./state";
import {
  currencyCode,
  oneOf,
  optionalHttpUrl,
  optionalInteger,
  optionalString,
  requiredInteger,
  requiredString,
  type Fields,
} from "./validation";

const MIN_DONATION_CENTS = 100;
const MAX_DONATION_CENTS = 10_000_000;

export function createDonation(
  context: SandboxContext,
  partner: Partner,
  fields: Fields,
): Donation {
  const nonprofitSlug = requiredString(fields, "nonprofitSlug");
  const amountCents = requiredInteger(fields, "amount", MIN_DONATION_CENTS, MAX_DONATION_CENTS);
  const currency = currencyCode(fields, "currency");
  const frequency = oneOf(fields, "frequency", ["once", "monthly"] as const);
  const provider = oneOf(fields, "provider", ["stripe", "every.org"] as const);
  const tipPercent = fields.tipPercent ?? null;
  if (
    tipPercent !== null &&
    (typeof tipPercent !== "number" || tipPercent < 0 || tipPercent > 100)
  ) {
    throw validationError("tipPercent must be a number from 0 to 100");
  }
  if (!context.state.organizations.has(nonprofitSlug)) {
    throw notFound(`Nonprofit ${nonprofitSlug} not found`);
  }
  const donation: Donation = {
    partnerDonationId: newObjectId(),
    partnerId: partner.id,
    nonprofitSlug,
    amountCents,
    currency,
    frequency,
    provider,
    donorEmail: optionalString(fields, "donorEmail"),
    firstName: optionalString(fields, "firstName"),
    lastName: optionalString(fields, "lastName"),
    tipAmountCents: optionalInteger(fields, "tipAmount", 0, MAX_DONATION_CENTS),
    tipPercent,
    referralCode: optionalString(fields, "referralCode"),
    returnUrl: optionalHttpUrl(fields, "returnUrl"),
    status: "PENDING",
    tokensDistributed: 0,
    actionId: null,
    createdAt: isoNow(context),
  };
  context.state.donations.set(donation.partnerDonationId, donation);
  return donation;
}

/** Paying credits the donor; an empty pool fails the donation and fires action.failed. */
export function completeDonation(context: SandboxContext, donation: Donation): void {
  if (donation.status !== "PENDING") return;
  const partner = context.state.partners.get(donation.partnerId)!;
  const amount = decimalFromMinorUnits(donation.amountCents, 2);
  const donorId = donation.donorEmail?.toLowerCase() ?? `donor:${donation.partnerDonationId}`;
  try {
    const response = submitAction(
      context,
      partner,
      {
        idempotencyKey: `donation:${donation.partnerDonationId}`,
        actionType: "DONATION",
        amount,
        amountText: formatDecimal(amount),
        currency: donation.currency,
        customer: {
          partnerUserId: donorId,
          email: donation.donorEmail,
          firstName: donation.firstName,
          lastName: donation.lastName,
        },
        autoCreateUsers: true,
        metadata: {
          nonprofitSlug: donation.nonprofitSlug,
          frequency: donation.frequency,
          provider: donation.provider,
        },
        campaignId: null,
        partnerDonationId: donation.partnerDonationId,
      },
      { honorForced402: false },
    );
    donation.status = "COMPLETED";
    donation.tokensDistributed = response.tokensDistributed;
    donation.actionId = response.actionId;
  } catch (error) {
    if (!(error instanceof SirApiError)) throw error;
    donation.status = "FAILED";
    context.webhooks.emit(partner.id, "action.failed", () => ({
      ...describeDonationStatus(donation),
      reason: { code: error.code, message: error.message },
    }));
  }
}

export function cancelDonation(donation: Donation): void {
  if (donation.status === "PENDING") donation.status = "FAILED";
}

export function describeDonationStatus(donation: Donation) {
  const {
    partnerDonationId,
    status,
    amountCents,
    currency,
    nonprofitSlug,
    tokensDistributed,
    actionId,
  } = donation;
  return {
    partnerDonationId,
    status,
    amount: amountCents,
    currency,
    nonprofitSlug,
    tokensDistributed,
    actionId,
  };
}
