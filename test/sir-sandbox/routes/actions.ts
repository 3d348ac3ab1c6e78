/** Actions: submit, bulk, reverse, read. */
import { randomUUID } from "node:crypto";
import { compareWithInteger, isPositive, parseDecimal, type Decimal } from "../decimal";
import { SirApiError, notFound, validationError } from "../errors";
import { describeAction, reverseAction, submitAction, type SubmitInput } from "../ledger";
import type { Route, RouteResult } from "../router";
import type { SandboxContext } from "../context";
import type { Partner } from "../state";
import {
  asObject,
  currencyCode,
  newestFirstPage,
  optionalBoolean,
  optionalString,
  parsePaging,
  requiredString,
  type Fields,
  type JsonBody,
} from "../validation";

const MAX_BULK_ACTIONS = 100;
const MAX_AMOUNT_DECIMALS = 3;
const MAX_PERCENTAGE_DECIMALS = 2;

export const actionRoutes: Route[] = [
  {
    method: "POST",
    path: "actions/submit",
    auth: "hmac",
    scope: "actions:write",
    handle: ({ context, partner, body }) => {
      const { fields, numberText } = body();
      return submitFromFields(context, partner, fields, numberText);
    },
  },
  {
    method: "POST",
    path: "actions/bulk",
    auth: "hmac",
    scope: "actions:write",
    handle: ({ context, partner, body }) => {
      const { fields, numberText } = body();
      const { actions } = fields;
      if (!Array.isArray(actions) || actions.length === 0 || actions.length > MAX_BULK_ACTIONS) {
        throw validationError(`actions must be an array of 1 to ${MAX_BULK_ACTIONS} actions`);
      }
      // Items run in order, so a duplicate key inside one call gets 409 with the first's result.
      const results = actions.map((item, index) => {
        const key = (item as Fields | null)?.idempotencyKey;
        const idempotencyKey = typeof key === "string" ? key : null;
        try {
          const itemFields = asObject(item, `actions[${index}]`);
          const outcome = submitFromFields(context, partner, itemFields, numberText);
          return { index, status: outcome.status, idempotencyKey, result: outcome.body };
        } catch (error) {
          if (!(error instanceof SirApiError)) throw error;
          const { code, message } = error;
          return { index, status: error.status, idempotencyKey, error: { code, message } };
        }
      });
      const itemStatuses = results.map((result) => result.status);
      if (context.state.behaviour.bulkResponse === "job") {
        // An asynchronous bulk API: the items are recorded, the answer has no per-item results.
        const jobId = `job_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
        return {
          status: 202,
          body: { jobId, status: "PROCESSING", total: results.length },
          itemStatuses,
        };
      }
      return { status: 200, body: { results }, itemStatuses };
    },
  },
  {
    method: "POST",
    path: "actions/:actionId/reverse",
    auth: "hmac",
    scope: "actions:reverse",
    handle: ({ context, partner, params, body }) => {
      const { fields, numberText } = body();
      const refundIdempotencyKey = requiredString(fields, "refundIdempotencyKey");
      const original = partner.reversalsByRefundKey.get(refundIdempotencyKey);
      if (original) return { status: 409, body: original.response };
      const { value: reversalPercentage, hundredths } = parsePercentage(
        fields,
        numberText,
        context.state.behaviour.integerReversalPercentage,
      );
      const reason = optionalString(fields, "reason", 1000);
      const action = context.state.actions.get(params.actionId);
      if (action?.partnerId !== partner.id) throw notFound(`Action ${params.actionId} not found`);
      const response = reverseAction(context, partner, action, {
        refundIdempotencyKey,
        reversalPercentage,
        hundredths,
        reason,
      });
      return { status: 200, body: response };
    },
  },
  {
    method: "GET",
    path: "actions",
    auth: "hmac",
    scope: "actions:read",
    handle: ({ context, partner, query }) => {
      const page = newestFirstPage(partner.actionIds, parsePaging(query), (id) =>
        describeAction(context.state.actions.get(id)!),
      );
      return {
        status: 200,
        body: { actions: page.items, total: page.total, page: page.page, limit: page.limit },
      };
    },
  },
  {
    method: "GET",
    path: "actions/:actionId",
    auth: "hmac",
    scope: "actions:read",
    handle: ({ context, partner, params }) => {
      const action = context.state.actions.get(params.actionId);
      if (action?.partnerId !== partner.id) throw notFound(`Action ${params.actionId} not found`);
      return { status: 200, body: describeAction(action) };
    },
  },
];

/** 409 with the original response for a known key, checked before the rest of the body. */
function submitFromFields(
  context: SandboxContext,
  partner: Partner,
  fields: Fields,
  numberText: JsonBody["numberText"],
): RouteResult {
  const idempotencyKey = requiredString(fields, "idempotencyKey");
  const original = partner.actionsByIdempotencyKey.get(idempotencyKey);
  if (original) return { status: 409, body: original.response };
  const input = parseSubmitInput(fields, numberText, idempotencyKey);
  return { status: 200, body: submitAction(context, partner, input, { honorForced402: true }) };
}

function parseSubmitInput(
  fields: Fields,
  numberText: JsonBody["numberText"],
  idempotencyKey: string,
): SubmitInput {
  const actionType = requiredString(fields, "actionType", 64);
  if (!/^[A-Z][A-Z0-9_]*$/.test(actionType)) {
    throw validationError('actionType must be an upper-case code such as "PURCHASE"');
  }
  const { text: amountText, decimal: amount } = requireDecimal(fields, numberText, "amount");
  if (!isPositive(amount)) throw validationError("amount must be greater than 0");
  if (amount.scale > MAX_AMOUNT_DECIMALS) {
    throw validationError(`amount must have at most ${MAX_AMOUNT_DECIMALS} decimal places`);
  }
  const currency = currencyCode(fields, "currency");

  const { stakeholders } = fields;
  if (!Array.isArray(stakeholders) || stakeholders.length === 0) {
    throw validationError("stakeholders must be a non-empty array");
  }
  const stakeholderFields = stakeholders.map((item, index) =>
    asObject(item, `stakeholders[${index}]`),
  );
  // ASSUMED: stakeholder splits are not modelled; exactly one CUSTOMER receives the tokens.
  const customers = stakeholderFields.filter((item) => item.stakeholderTypeCode === "CUSTOMER");
  if (customers.length !== 1 || stakeholderFields.length !== 1) {
    throw validationError(
      'stakeholders must hold exactly one entry with stakeholderTypeCode "CUSTOMER"',
    );
  }
  const [customer] = customers;

  const { metadata } = fields;
  if (metadata !== undefined && metadata !== null) asObject(metadata, "metadata");
  return {
    idempotencyKey,
    actionType,
    amount,
    amountText,
    currency,
    customer: {
      partnerUserId: requiredString(customer, "partnerUserId"),
      email: optionalString(customer, "userEmail"),
      firstName: optionalString(customer, "userFirstName"),
      lastName: optionalString(customer, "userLastName"),
    },
    autoCreateUsers: optionalBoolean(fields, "autoCreateUsers", false),
    metadata: (metadata as Record<string, unknown> | undefined) ?? null,
    campaignId: optionalString(fields, "campaignId"),
    partnerDonationId: null,
  };
}

/**
 * ASSUMED beyond the documented 1–100: any decimal in (0, 100] with at most 2 decimals. With
 * `integerOnly` (behaviour.integerReversalPercentage), the documented 1–100 read literally: a
 * whole number (30 or 30.00 alike, as a validator of the parsed JSON value sees them).
 */
function parsePercentage(fields: Fields, numberText: JsonBody["numberText"], integerOnly: boolean) {
  const { decimal } = requireDecimal(fields, numberText, "reversalPercentage");
  if (integerOnly && decimal.units % 10n ** BigInt(decimal.scale) !== 0n) {
    throw validationError("reversalPercentage must be an integer from 1 to 100");
  }
  if (
    !isPositive(decimal) ||
    compareWithInteger(decimal, 100n) > 0 ||
    decimal.scale > MAX_PERCENTAGE_DECIMALS
  ) {
    throw validationError(
      "reversalPercentage must be a number above 0 and at most 100, with at most 2 decimals",
    );
  }
  const hundredths = Number(decimal.units * 10n ** BigInt(MAX_PERCENTAGE_DECIMALS - decimal.scale));
  return { value: fields.reversalPercentage as number, hundredths };
}

/** The exact decimal the client wrote; strings such as "49.99" are refused. */
function requireDecimal(
  fields: Fields,
  numberText: JsonBody["numberText"],
  name: string,
): { text: string; decimal: Decimal } {
  const text = typeof fields[name] === "number" ? numberText(fields, name) : undefined;
  const decimal = text === undefined ? null : parseDecimal(text);
  if (text === undefined || decimal === null) {
    throw validationError(`${name} must be a JSON number`);
  }
  return { text, decimal };
}
