/**
 * Donations made through the widget: a PENDING donation per create-link, completed or failed
 * on the sandbox-hosted checkout page (standing in for Stripe / Every.org).
 *
 * ASSUMED: `amount` (and `tipAmount`) are integers in the minor units of the currency per
 * ISO 4217 (`currency.ts`: 5000 HUF is 50.00 HUF, 5000 JPY is 5000 JPY, 5000 KWD is 5.000 KWD),
 * from 1 to 100,000 major units; donation tokens = the amount in major units (minor units ÷
 * 10^exponent, exact) × the multiplier of the ACTIVE campaign covering "DONATION", rounded half
 * up; the tip earns nothing; a monthly donation is simulated as its first payment only; the donor
 * is the user named by donorEmail (lower-cased), else an anonymous user "donor:<partnerDonationId>".
 */
import { isoNow, type SandboxContext } from "./context";
import { minorUnitExponent } from "./currency";
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

// In major units of the donation's currency; the bounds in minor units follow its exponent.
const MIN_DONATION_MAJOR = 1;
const MAX_DONATION_MAJOR = 100_000;

export function createDonation(
  context: SandboxContext,
  partner: Partner,
  fields: Fields,
): Donation {
  const nonprofitSlug = requiredString(fields, "nonprofitSlug");
  const currency = currencyCode(fields, "currency");
  const unit = 10 ** minorUnitExponent(currency);
  const maxMinor = MAX_DONATION_MAJOR * unit;
  // Minor units of `currency` (the field keeps its old name): 123450 HUF = 1,234.50 HUF.
  const amountCents = requiredInteger(fields, "amount", MIN_DONATION_MAJOR * unit, maxMinor);
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
    tipAmountCents: optionalInteger(fields, "tipAmount", 0, maxMinor),
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
  const amount = decimalFromMinorUnits(donation.amountCents, minorUnitExponent(donation.currency));
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
