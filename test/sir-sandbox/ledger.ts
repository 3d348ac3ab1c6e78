/**
 * Token movements: pool → user on an action, user → pool on a reversal, with debt for what the
 * user already spent. Conservation: pool + user balances + tokens spent = allocated.
 */
import { isoNow, type SandboxContext } from "./context";
import type { Decimal } from "./decimal";
import { insufficientPool, notFound, validationError } from "./errors";
import { takeForced402 } from "./faults";
import { newObjectId } from "./ids";
import type {
  ActionRecord,
  Campaign,
  Partner,
  PartnerUser,
  ReversalRecord,
  ReversalResponse,
  SubmitResponse,
  TokenPool,
} from "./state";
import { FULL_REVERSAL_HUNDREDTHS, tokensForAmount, tokensForReversal } from "./tokens";

export interface Customer {
  partnerUserId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface SubmitInput {
  /** Must not be in partner.actionsByIdempotencyKey yet; callers answer replays first. */
  idempotencyKey: string;
  actionType: string;
  amount: Decimal;
  amountText: string;
  currency: string;
  customer: Customer;
  autoCreateUsers: boolean;
  metadata: Record<string, unknown> | null;
  campaignId: string | null;
  partnerDonationId: string | null;
}

export interface ReverseInput {
  refundIdempotencyKey: string;
  reversalPercentage: number;
  /** reversalPercentage in hundredths of a percent, exact. */
  hundredths: number;
  reason: string | null;
}

/** Validates, checks the pool, then records: a 402 or 400 leaves no trace. */
export function submitAction(
  context: SandboxContext,
  partner: Partner,
  input: SubmitInput,
  options: { honorForced402: boolean },
): SubmitResponse {
  const { state } = context;
  const existingUser = partner.users.get(input.customer.partnerUserId);
  if (!existingUser && !input.autoCreateUsers) {
    throw notFound(
      `User ${input.customer.partnerUserId} does not exist; pass autoCreateUsers: true to create it`,
    );
  }
  const campaign = matchCampaign(context, partner, input.actionType, input.campaignId);
  const pool = state.pools.get(campaign?.tokenPoolId ?? partner.defaultPoolId)!;
  const exactTokens = tokensForAmount(input.amount, campaign?.baseMultiplier ?? 1);
  if (exactTokens > BigInt(Number.MAX_SAFE_INTEGER)) throw validationError("amount is too large");
  const tokens = Number(exactTokens);
  if (options.honorForced402 && takeForced402(state.faults)) throw insufficientPool();
  if (pool.availableBalance < tokens) throw insufficientPool();

  const user = existingUser ?? createUser(context, partner, input.customer);
  // Earnings repay debt first; the repaid part never leaves the pool.
  const repaid = Math.min(user.debt, tokens);
  user.debt -= repaid;
  user.balance += tokens - repaid;
  debitPool(context, pool, tokens - repaid);

  const response: SubmitResponse = {
    actionId: newObjectId(),
    idempotencyKey: input.idempotencyKey,
    status: "COMPLETED",
    tokensDistributed: tokens,
    transactionIds: [newObjectId()],
  };
  const action: ActionRecord = {
    id: response.actionId,
    partnerId: partner.id,
    idempotencyKey: input.idempotencyKey,
    actionType: input.actionType,
    amountText: input.amountText,
    currency: input.currency,
    partnerUserId: user.partnerUserId,
    campaignId: campaign?.id ?? null,
    poolId: pool.id,
    metadata: input.metadata,
    tokensDistributed: tokens,
    tokensReversed: 0,
    reversedHundredths: 0,
    reversals: [],
    partnerDonationId: input.partnerDonationId,
    response,
    createdAt: isoNow(context),
  };
  state.actions.set(action.id, action);
  partner.actionsByIdempotencyKey.set(action.idempotencyKey, action);
  partner.actionIds.push(action.id);
  context.webhooks.emit(partner.id, "action.completed", () => describeAction(action));
  return response;
}

/** Reverses a further share of an action; 400 when the cumulative share would pass 100 %. */
export function reverseAction(
  context: SandboxContext,
  partner: Partner,
  action: ActionRecord,
  input: ReverseInput,
): ReversalResponse {
  const cumulativeHundredths = action.reversedHundredths + input.hundredths;
  if (cumulativeHundredths > FULL_REVERSAL_HUNDREDTHS) {
    const left = (FULL_REVERSAL_HUNDREDTHS - action.reversedHundredths) / 100;
    throw validationError(
      `Cumulative reversal would exceed 100 %: ${left} % of action ${action.id} is left to reverse`,
    );
  }
  const tokens = tokensForReversal({
    tokensDistributed: action.tokensDistributed,
    tokensAlreadyReversed: action.tokensReversed,
    cumulativeHundredths,
  });
  const user = partner.users.get(action.partnerUserId)!;
  const clawedBack = Math.min(user.balance, tokens);
  const debt = tokens - clawedBack;
  user.balance -= clawedBack;
  user.debt += debt;
  // ASSUMED: clawed-back tokens return to the pool the action was paid from.
  creditPool(context.state.pools.get(action.poolId)!, clawedBack);

  action.reversedHundredths = cumulativeHundredths;
  action.tokensReversed += tokens;
  const response: ReversalResponse = {
    reversalTransactionId: newObjectId(),
    tokensClawedBack: clawedBack,
    debtsCreated: debt > 0 ? 1 : 0,
    breakdown: [{ stakeholderTypeCode: "CUSTOMER", expected: tokens, clawedBack, debt }],
  };
  const reversal: ReversalRecord = {
    actionId: action.id,
    refundIdempotencyKey: input.refundIdempotencyKey,
    reversalPercentage: input.reversalPercentage,
    reason: input.reason,
    response,
    createdAt: isoNow(context),
  };
  action.reversals.push(reversal);
  partner.reversalsByRefundKey.set(reversal.refundIdempotencyKey, reversal);
  context.webhooks.emit(partner.id, "action.reversed", () => ({
    actionId: action.id,
    idempotencyKey: action.idempotencyKey,
    partnerUserId: action.partnerUserId,
    refundIdempotencyKey: reversal.refundIdempotencyKey,
    reversalPercentage: reversal.reversalPercentage,
    reason: reversal.reason,
    ...response,
  }));
  return response;
}

function debitPool(context: SandboxContext, pool: TokenPool, tokens: number): void {
  pool.availableBalance -= tokens;
  if (pool.availableBalance < pool.lowBalanceThreshold && !pool.lowBalanceNotified) {
    pool.lowBalanceNotified = true;
    context.webhooks.emit(pool.partnerId, "token_pool.low_balance", () => describePool(pool));
  }
}

export function creditPool(pool: TokenPool, tokens: number): void {
  pool.availableBalance += tokens;
  // Re-arm: the next crossing below the threshold notifies again.
  if (pool.availableBalance >= pool.lowBalanceThreshold) pool.lowBalanceNotified = false;
}

export function describePool(pool: TokenPool) {
  const { id, name, availableBalance, totalAllocated, lowBalanceThreshold, status } = pool;
  return { id, name, availableBalance, totalAllocated, lowBalanceThreshold, status };
}

/** ASSUMED: a fully reversed action reads REVERSED, a partly reversed one PARTIALLY_REVERSED. */
export function describeAction(action: ActionRecord) {
  const status =
    action.reversedHundredths === FULL_REVERSAL_HUNDREDTHS
      ? "REVERSED"
      : action.reversedHundredths > 0
        ? "PARTIALLY_REVERSED"
        : "COMPLETED";
  return {
    ...action.response,
    status,
    actionType: action.actionType,
    amount: Number(action.amountText),
    currency: action.currency,
    partnerUserId: action.partnerUserId,
    campaignId: action.campaignId,
    tokenPoolId: action.poolId,
    metadata: action.metadata,
    partnerDonationId: action.partnerDonationId,
    tokensReversed: action.tokensReversed,
    reversals: action.reversals.map((reversal) => ({
      refundIdempotencyKey: reversal.refundIdempotencyKey,
      reversalPercentage: reversal.reversalPercentage,
      reason: reversal.reason,
      createdAt: reversal.createdAt,
      ...reversal.response,
    })),
    createdAt: action.createdAt,
  };
}

export function activeCampaign(context: SandboxContext, partner: Partner): Campaign | null {
  for (const id of partner.campaignIds) {
    const campaign = context.state.campaigns.get(id)!;
    if (campaign.status === "ACTIVE") return campaign;
  }
  return null;
}

/** An explicit campaignId wins; otherwise the first ACTIVE campaign covering the action type. */
function matchCampaign(
  context: SandboxContext,
  partner: Partner,
  actionType: string,
  campaignId: string | null,
): Campaign | null {
  if (campaignId !== null) {
    const campaign = context.state.campaigns.get(campaignId);
    if (campaign?.partnerId !== partner.id) throw notFound(`Campaign ${campaignId} not found`);
    if (campaign.status !== "ACTIVE") throw validationError(`Campaign ${campaignId} is not ACTIVE`);
    return campaign;
  }
  for (const id of partner.campaignIds) {
    const campaign = context.state.campaigns.get(id)!;
    if (campaign.status === "ACTIVE" && campaign.actionTypes.includes(actionType)) return campaign;
  }
  return null;
}

function createUser(context: SandboxContext, partner: Partner, customer: Customer): PartnerUser {
  const user: PartnerUser = {
    id: newObjectId(),
    ...customer,
    balance: 0,
    debt: 0,
    createdAt: isoNow(context),
  };
  partner.users.set(user.partnerUserId, user);
  return user;
}
