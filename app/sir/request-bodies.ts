/**
 * Builds and validates request bodies and path segments before anything is sent. Amounts stay
 * decimal strings and become JSON numbers textually (JsonNumberText); bad input is a VALIDATION
 * SirError that never echoes the values it rejected.
 */
import {
  DONATION_RETURN_URL_FIELD,
  REVERSAL_PERCENTAGE_MAX_HUNDREDTHS,
  REVERSAL_PERCENTAGE_PATTERN,
} from "./assumptions";
import { SirError } from "./errors";
import { JsonNumberText, isDecimalString, type JsonValue } from "./json-body";
import type {
  AllocationRequestInput,
  CreateDonationLinkInput,
  RegisterWebhookInput,
  ReverseActionInput,
  SubmitActionInput,
} from "./types";

export function validation(
  message: string,
  method: string | null = null,
  path: string | null = null,
) {
  return new SirError({ code: "VALIDATION", message, method, requestPath: path });
}

export function requireText(value: unknown, field: string, operation: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw validation(`SIR ${operation}: ${field} must be a non-empty string`);
  }
  return value;
}

export function requireInteger(
  value: unknown,
  field: string,
  operation: string,
  min: number,
): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw validation(`SIR ${operation}: ${field} must be an integer of at least ${min}`);
  }
  return value;
}

/** Encodes an id for one path segment; "." and ".." would be resolved away by URL parsing. */
export function segment(value: unknown, field: string, operation: string): string {
  const text = requireText(value, field, operation);
  if (text === "." || text === "..") {
    throw validation(`SIR ${operation}: ${field} is not a valid id`);
  }
  return encodeURIComponent(text);
}

export function submitActionBody(input: SubmitActionInput, operation: string): JsonValue {
  if (!isDecimalString(input.amount)) {
    throw validation(
      `SIR ${operation}: amount must be a decimal string in major units, e.g. "49.99"`,
    );
  }
  if (!Array.isArray(input.stakeholders)) {
    throw validation(`SIR ${operation}: stakeholders must be a list`);
  }
  return {
    idempotencyKey: requireText(input.idempotencyKey, "idempotencyKey", operation),
    actionType: requireText(input.actionType, "actionType", operation),
    amount: new JsonNumberText(input.amount),
    currency: requireText(input.currency, "currency", operation),
    stakeholders: input.stakeholders.map((stakeholder) => ({
      stakeholderTypeCode: requireText(
        stakeholder.stakeholderTypeCode,
        "stakeholderTypeCode",
        operation,
      ),
      partnerUserId: requireText(stakeholder.partnerUserId, "partnerUserId", operation),
      userEmail: stakeholder.userEmail,
      userFirstName: stakeholder.userFirstName,
      userLastName: stakeholder.userLastName,
    })),
    autoCreateUsers: input.autoCreateUsers,
    metadata: input.metadata,
    campaignId: input.campaignId,
  };
}

/** Emitted textually as a JSON number; range checked in hundredths, never as a float. */
function reversalPercentage(value: unknown, operation: string): JsonNumberText {
  const match = typeof value === "string" ? REVERSAL_PERCENTAGE_PATTERN.exec(value) : null;
  const hundredths = match
    ? Number(match[1]) * 100 + Number((match[2] ?? ".").slice(1).padEnd(2, "0"))
    : 0;
  if (!match || hundredths <= 0 || hundredths > REVERSAL_PERCENTAGE_MAX_HUNDREDTHS) {
    throw validation(
      `SIR ${operation}: reversalPercentage must be a decimal in (0, 100], e.g. "100" or "33.33"`,
    );
  }
  return new JsonNumberText(value as string);
}

function absoluteHttpUrl(value: unknown, field: string, operation: string): string {
  const text = requireText(value, field, operation);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw validation(`SIR ${operation}: ${field} must be an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw validation(`SIR ${operation}: ${field} must be an http(s) URL`);
  }
  return text;
}

export function donationLinkBody(input: CreateDonationLinkInput, operation: string): JsonValue {
  if (input.frequency !== "once" && input.frequency !== "monthly") {
    throw validation(`SIR ${operation}: frequency must be "once" or "monthly"`);
  }
  if (input.provider !== "stripe" && input.provider !== "every.org") {
    throw validation(`SIR ${operation}: provider must be "stripe" or "every.org"`);
  }
  const tipPercent = input.tipPercent;
  if (
    tipPercent !== undefined &&
    (typeof tipPercent !== "number" ||
      !Number.isFinite(tipPercent) ||
      tipPercent < 0 ||
      tipPercent > 100)
  ) {
    throw validation(`SIR ${operation}: tipPercent must be a number from 0 to 100`);
  }
  return {
    nonprofitSlug: requireText(input.nonprofitSlug, "nonprofitSlug", operation),
    amount: requireInteger(input.amountCents, "amountCents", operation, 1),
    currency: requireText(input.currency, "currency", operation),
    frequency: input.frequency,
    provider: input.provider,
    donorEmail: requireText(input.donorEmail, "donorEmail", operation),
    firstName: requireText(input.firstName, "firstName", operation),
    lastName: requireText(input.lastName, "lastName", operation),
    tipAmount:
      input.tipAmountCents === undefined
        ? undefined
        : requireInteger(input.tipAmountCents, "tipAmountCents", operation, 0),
    tipPercent,
    referralCode: input.referralCode,
    [DONATION_RETURN_URL_FIELD]:
      input.returnUrl === undefined
        ? undefined
        : absoluteHttpUrl(input.returnUrl, "returnUrl", operation),
  };
}

export function reverseActionBody(input: ReverseActionInput, operation: string): JsonValue {
  return {
    reversalPercentage: reversalPercentage(input.reversalPercentage, operation),
    reason: requireText(input.reason, "reason", operation),
    refundIdempotencyKey: requireText(
      input.refundIdempotencyKey,
      "refundIdempotencyKey",
      operation,
    ),
  };
}

export function allocationRequestBody(input: AllocationRequestInput, operation: string): JsonValue {
  return {
    amount: requireInteger(input.amount, "amount", operation, 1),
    reason: requireText(input.reason, "reason", operation),
  };
}

export function registerWebhookBody(input: RegisterWebhookInput, operation: string): JsonValue {
  if (!Array.isArray(input.eventTypes) || !input.eventTypes.every((t) => typeof t === "string")) {
    throw validation(`SIR ${operation}: eventTypes must be a list of event names`);
  }
  return {
    url: absoluteHttpUrl(input.url, "url", operation),
    description: input.description,
    eventTypes: [...input.eventTypes],
    receiveAllEvents: input.receiveAllEvents === true,
  };
}
