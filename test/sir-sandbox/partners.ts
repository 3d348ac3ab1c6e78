/**
 * Partner provisioning for the control API and seed files: a partner with one key pair, one
 * token pool and optionally an ACTIVE campaign and webhooks, in one call.
 */
import { isoNow, type SandboxContext } from "./context";
import { validationError } from "./errors";
import { newKeyMaterial, newObjectId } from "./ids";
import type { Campaign, KeyPair, Partner, TokenPool } from "./state";
import {
  asObject,
  optionalHttpUrl,
  optionalInteger,
  optionalString,
  type Fields,
} from "./validation";
import { parseWebhookRegistration, registerWebhook } from "./webhook-registry";

export const ALL_SCOPES = [
  "actions:write",
  "actions:read",
  "actions:reverse",
  "pools:read",
  "pools:write",
  "campaigns:read",
  "users:read",
  "webhooks:write",
  "webhooks:read",
] as const;

const DEFAULT_POOL_BALANCE = 1_000_000;
const DEFAULT_ACTION_TYPES = ["PURCHASE", "DONATION"];

export function createPartner(context: SandboxContext, spec: Fields) {
  const { state } = context;
  const name = optionalString(spec, "name") ?? "Sandbox Partner";
  const slug = optionalString(spec, "slug") ?? `sandbox-partner-${newObjectId().slice(-6)}`;
  const poolBalance =
    optionalInteger(spec, "poolBalance", 0, Number.MAX_SAFE_INTEGER) ?? DEFAULT_POOL_BALANCE;
  // ASSUMED default: warn at 10 % of the initial allocation.
  const lowBalanceThreshold =
    optionalInteger(spec, "lowBalanceThreshold", 0, Number.MAX_SAFE_INTEGER) ??
    Math.floor(poolBalance / 10);
  const tipConfig = parseTipConfig(spec.tipConfig);
  const webhookUrl = optionalHttpUrl(spec, "webhookUrl");
  const webhookSpecs = spec.webhooks ?? [];
  if (!Array.isArray(webhookSpecs)) throw validationError("webhooks must be an array");
  const webhookRegistrations = webhookSpecs.map((item, index) => {
    const fields = asObject(item, `webhooks[${index}]`);
    return { ...parseWebhookRegistration(fields), secret: optionalString(fields, "secret") };
  });
  const campaignSpec = parseCampaignSpec(spec);

  const createdAt = isoNow(context);
  const partner: Partner = {
    id: newObjectId(),
    name,
    slug,
    webhookUrl,
    tipConfig,
    defaultPoolId: newObjectId(),
    campaignIds: [],
    users: new Map(),
    actionsByIdempotencyKey: new Map(),
    reversalsByRefundKey: new Map(),
    actionIds: [],
    webhookIds: [],
    poolRequestIds: [],
    createdAt,
  };
  const keyPair = createKeyPair(context, partner, spec);
  state.partners.set(partner.id, partner);
  const pool: TokenPool = {
    id: partner.defaultPoolId,
    partnerId: partner.id,
    name: `${name} pool`,
    availableBalance: poolBalance,
    totalAllocated: poolBalance,
    lowBalanceThreshold,
    status: "ACTIVE",
    lowBalanceNotified: false,
  };
  state.pools.set(pool.id, pool);

  let campaign: Campaign | null = null;
  if (campaignSpec) {
    campaign = {
      id: newObjectId(),
      partnerId: partner.id,
      name: `${campaignSpec.multiplier}X rewards`,
      status: "ACTIVE",
      baseMultiplier: campaignSpec.multiplier,
      actionTypes: campaignSpec.actionTypes,
      tokenPoolId: pool.id,
      createdAt,
    };
    state.campaigns.set(campaign.id, campaign);
    partner.campaignIds.push(campaign.id);
  }
  const webhooks = webhookRegistrations.map((registration) =>
    registerWebhook(state, partner, registration, createdAt),
  );

  return {
    partnerId: partner.id,
    publicKey: keyPair.publicKey,
    secretKey: keyPair.secretKey,
    hmacSecret: keyPair.hmacSecret,
    scopes: [...keyPair.scopes],
    poolId: pool.id,
    campaignId: campaign?.id ?? null,
    webhooks: webhooks.map(({ id, url, secret }) => ({ id, url, secret })),
  };
}

/**
 * A key pair with the given scopes (all by default). Fixed keys are allowed so a seed file can
 * give the demo known credentials; hmacSecret: null makes a legacy key that signs with sk_.
 */
export function createKeyPair(context: SandboxContext, partner: Partner, spec: Fields): KeyPair {
  const { keys } = context.state;
  const scopes = parseScopes(spec.scopes);
  const publicKey = optionalString(spec, "publicKey") ?? `pk_test_${newKeyMaterial()}`;
  const secretKey = optionalString(spec, "secretKey") ?? `sk_test_${newKeyMaterial()}`;
  const hmacSecret =
    spec.hmacSecret === null ? null : (optionalString(spec, "hmacSecret") ?? newKeyMaterial());
  if (!publicKey.startsWith("pk_")) throw validationError('publicKey must start with "pk_"');
  if (!secretKey.startsWith("sk_")) throw validationError('secretKey must start with "sk_"');
  if (keys.has(publicKey) || keys.has(secretKey)) {
    throw validationError("That key is already in use");
  }

  const pair: KeyPair = {
    id: newObjectId(),
    partnerId: partner.id,
    publicKey,
    secretKey,
    hmacSecret,
    scopes: new Set(scopes),
  };
  keys.set(publicKey, { value: publicKey, kind: "publishable", pair });
  keys.set(secretKey, { value: secretKey, kind: "secret", pair });
  return pair;
}

function parseScopes(value: unknown): string[] {
  if (value === undefined) return [...ALL_SCOPES];
  if (!Array.isArray(value)) throw validationError("scopes must be an array of strings");
  for (const scope of value) {
    if (!(ALL_SCOPES as readonly unknown[]).includes(scope)) {
      throw validationError(
        `Unknown scope ${JSON.stringify(scope)}; known: ${ALL_SCOPES.join(", ")}`,
      );
    }
  }
  return value as string[];
}

function parseTipConfig(value: unknown) {
  if (value === undefined) return { enabled: false, defaultPercent: 0 };
  const fields = asObject(value, "tipConfig");
  const { enabled, defaultPercent } = fields;
  if (typeof enabled !== "boolean") throw validationError("tipConfig.enabled must be a boolean");
  if (typeof defaultPercent !== "number" || defaultPercent < 0 || defaultPercent > 100) {
    throw validationError("tipConfig.defaultPercent must be a number from 0 to 100");
  }
  return { enabled, defaultPercent };
}

function parseCampaignSpec(spec: Fields): { multiplier: number; actionTypes: string[] } | null {
  const { campaignMultiplier, campaignActionTypes = DEFAULT_ACTION_TYPES } = spec;
  if (campaignMultiplier === undefined || campaignMultiplier === null) return null;
  if (
    typeof campaignMultiplier !== "number" ||
    !(campaignMultiplier > 0 && campaignMultiplier <= 1000)
  ) {
    throw validationError("campaignMultiplier must be a number above 0 and at most 1000");
  }
  if (
    !Array.isArray(campaignActionTypes) ||
    campaignActionTypes.length === 0 ||
    campaignActionTypes.some((type) => typeof type !== "string")
  ) {
    throw validationError("campaignActionTypes must be a non-empty array of strings");
  }
  return { multiplier: campaignMultiplier, actionTypes: campaignActionTypes as string[] };
}
