import { describe, expect, it } from "vitest";
import { SirError } from "./errors";
import { serializeJson } from "./json-body";
import {
  donationLinkBody,
  registerWebhookBody,
  reverseActionBody,
  segment,
  submitActionBody,
} from "./request-bodies";
import type { CreateDonationLinkInput } from "./types";

const DONATION: CreateDonationLinkInput = {
  nonprofitSlug: "american-red-cross",
  amountCents: 2500,
  currency: "USD",
  frequency: "once",
  provider: "stripe",
  donorEmail: "jane@example.com",
  firstName: "Jane",
  lastName: "Doe",
};

function validationError(build: () => unknown): SirError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(SirError);
    expect((error as SirError).code).toBe("VALIDATION");
    return error as SirError;
  }
  throw new Error("expected a validation error");
}

describe("submitActionBody", () => {
  it("keeps the documented field order and omits absent optionals", () => {
    const body = submitActionBody(
      {
        idempotencyKey: "order_98765",
        actionType: "PURCHASE",
        amount: "49.99",
        currency: "USD",
        stakeholders: [{ stakeholderTypeCode: "CUSTOMER", partnerUserId: "user_42" }],
      },
      "test",
    );
    expect(serializeJson(body)).toBe(
      '{"idempotencyKey":"order_98765","actionType":"PURCHASE","amount":49.99,"currency":"USD",' +
        '"stakeholders":[{"stakeholderTypeCode":"CUSTOMER","partnerUserId":"user_42"}]}',
    );
  });

  it("does not echo the rejected amount", () => {
    const error = validationError(() =>
      submitActionBody(
        {
          idempotencyKey: "k",
          actionType: "PURCHASE",
          amount: "12,34",
          currency: "USD",
          stakeholders: [],
        },
        "test",
      ),
    );
    expect(error.message).not.toContain("12,34");
  });
});

describe("reverseActionBody", () => {
  it("accepts (0, 100] with up to two decimals", () => {
    for (const percentage of ["0.01", "1", "33.33", "99.9", "100", "100.00"]) {
      const body = reverseActionBody(
        { reversalPercentage: percentage, reason: "r", refundIdempotencyKey: "k" },
        "test",
      );
      expect(serializeJson(body)).toContain(`"reversalPercentage":${percentage},`);
    }
  });
});

describe("donationLinkBody", () => {
  it("sends cents under the documented field names", () => {
    const body = donationLinkBody({ ...DONATION, tipAmountCents: 250, tipPercent: 10 }, "test");
    expect(body).toMatchObject({ amount: 2500, tipAmount: 250, tipPercent: 10 });
  });

  it.each<[string, Partial<CreateDonationLinkInput>]>([
    ["fractional cents", { amountCents: 25.5 }],
    ["zero amount", { amountCents: 0 }],
    ["negative tip", { tipAmountCents: -1 }],
    ["tip percent over 100", { tipPercent: 150 }],
    ["unknown frequency", { frequency: "weekly" as "once" }],
    ["unknown provider", { provider: "paypal" as "stripe" }],
    ["relative return URL", { returnUrl: "/thanks" }],
    ["javascript return URL", { returnUrl: "javascript:alert(1)" }],
  ])("rejects %s", (_label, override) => {
    validationError(() => donationLinkBody({ ...DONATION, ...override }, "test"));
  });
});

describe("registerWebhookBody", () => {
  it("requires an absolute URL and a list of event types", () => {
    validationError(() =>
      registerWebhookBody({ url: "nope", eventTypes: [], receiveAllEvents: true }, "test"),
    );
    validationError(() =>
      registerWebhookBody(
        {
          url: "https://a.example",
          eventTypes: "action.completed" as never,
          receiveAllEvents: false,
        },
        "test",
      ),
    );
  });
});

describe("segment", () => {
  it("encodes ids and refuses dot segments and empty ids", () => {
    expect(segment("a/b c?d", "id", "test")).toBe("a%2Fb%20c%3Fd");
    validationError(() => segment("..", "id", "test"));
    validationError(() => segment(".", "id", "test"));
    validationError(() => segment("", "id", "test"));
  });
});
