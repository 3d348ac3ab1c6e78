import {
  SIR_BASE_URLS,
  type ConnectionCredentials,
  type SirEnvironment,
} from "../../models/ProviderConnection.server";
// Plain http only for a host the operator allows (by default outside production,
// the sandbox on this machine); keys never cross a network in clear.
import { isOperatorAllowed } from "../../net/provider-address.server";

export type ConnectionField =
  | "environment"
  | "apiUrl"
  | "publicKey"
  | "secretKey"
  | "hmacSecret"
  | "defaultNonprofit";
export type ConnectionFormErrors = Partial<Record<ConnectionField, string>>;

/** The form as validated, with blank secret fields filled from what is stored. */
export type ConnectionFormInput = {
  environment: SirEnvironment;
  /** The API origin to call: the custom address, or the environment's documented host. */
  apiUrl: string;
  /** The custom address only; null means the environment's documented host. */
  customApiUrl: string | null;
  publicKey: string;
  secretKey: string;
  hmacSecret: string;
  defaultNonprofit: string | null;
};

export type ConnectionFormResult =
  | { ok: true; input: ConnectionFormInput }
  | { ok: false; errors: ConnectionFormErrors };

const KEY_ENVIRONMENT: Record<string, SirEnvironment> = { test: "sandbox", live: "production" };
const ENVIRONMENT_LABEL: Record<SirEnvironment, string> = {
  sandbox: "Sandbox",
  production: "Production",
};
const NONPROFIT_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function text(form: FormData, name: ConnectionField): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

function checkKey(
  value: string,
  prefix: "pk" | "sk",
  environment: SirEnvironment | null,
): string | null {
  const name = prefix === "pk" ? "publishable key" : "secret key";
  const other = prefix === "pk" ? "sk" : "pk";
  if (value.startsWith(`${other}_`)) {
    return prefix === "pk"
      ? "This is a secret key: paste it under Secret key. The publishable key starts with pk_."
      : "This is a publishable key: paste it under Publishable key. The secret key starts with sk_.";
  }
  const match = new RegExp(`^${prefix}_(test|live)_[A-Za-z0-9]+$`).exec(value);
  if (!match)
    return `The ${name} starts with ${prefix}_test_ (sandbox) or ${prefix}_live_ (production).`;
  const keyEnvironment = KEY_ENVIRONMENT[match[1]];
  if (environment && keyEnvironment !== environment) {
    return `This is a ${ENVIRONMENT_LABEL[keyEnvironment].toLowerCase()} key: choose ${ENVIRONMENT_LABEL[keyEnvironment]} above, or paste your ${environment} ${name}.`;
  }
  return null;
}

function checkApiUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter the API address as a full URL, such as https://api.sirgiving.org.";
  }
  const bare = (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash;
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isOperatorAllowed(url));
  if (!bare || !secure) {
    return "The API address must be an https:// address with nothing after the host, such as https://api.sirgiving.org.";
  }
  return null;
}

/**
 * Validates the connection form. A secret left blank keeps the stored one
 * (the page shows only its last four characters), so the merchant never has
 * to re-enter secrets to change anything else.
 */
export function readConnectionForm(
  form: FormData,
  stored: ConnectionCredentials | null,
): ConnectionFormResult {
  const errors: ConnectionFormErrors = {};
  const environmentText = text(form, "environment");
  const environment =
    environmentText === "sandbox" || environmentText === "production" ? environmentText : null;
  if (!environment) errors.environment = "Choose Sandbox or Production.";

  const customApiUrl = text(form, "apiUrl").replace(/\/$/, "") || null;
  const apiUrlError = customApiUrl ? checkApiUrl(customApiUrl) : null;
  if (apiUrlError) errors.apiUrl = apiUrlError;

  const publicKey = text(form, "publicKey");
  const publicKeyError = publicKey
    ? checkKey(publicKey, "pk", environment)
    : "Enter your SIR publishable key (pk_…).";
  if (publicKeyError) errors.publicKey = publicKeyError;

  const secretKey = text(form, "secretKey") || stored?.secretKey || "";
  const secretKeyError = secretKey
    ? checkKey(secretKey, "sk", environment)
    : "Enter your SIR secret key (sk_…).";
  if (secretKeyError) errors.secretKey = secretKeyError;

  const hmacSecret = text(form, "hmacSecret") || stored?.hmacSecret || "";
  if (!hmacSecret) errors.hmacSecret = "Enter the HMAC secret SIR showed with your key pair.";
  else if (/\s/.test(hmacSecret)) errors.hmacSecret = "The HMAC secret has no spaces in it.";

  const defaultNonprofit = text(form, "defaultNonprofit").toLowerCase() || null;
  if (defaultNonprofit && !NONPROFIT_SLUG.test(defaultNonprofit)) {
    errors.defaultNonprofit =
      "Enter the nonprofit's SIR name as it appears in its address, such as american-red-cross.";
  }

  if (!environment || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      environment,
      apiUrl: customApiUrl ?? SIR_BASE_URLS[environment],
      customApiUrl,
      publicKey,
      secretKey,
      hmacSecret,
      defaultNonprofit,
    },
  };
}
