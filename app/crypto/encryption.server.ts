import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Secrets at rest: AES-256-GCM with a random 96-bit IV per value, stored as
// "v2:<keyId>:<iv>:<tag>:<ciphertext>" (base64url parts). The key id names the
// key that sealed the value, so a server holding the current key and the
// previous ones (ENCRYPTION_KEY_PREVIOUS) opens each value with its own key,
// and rotation (app/services/rotate-keys.server.ts) can tell what to redo.
// Values written before key ids, "v1:<iv>:<tag>:<ciphertext>", are still read:
// each key is tried in turn (GCM authenticates, so a wrong key fails cleanly).
const VERSION = "v2";

// Development and tests only; production refuses to start without ENCRYPTION_KEY, and with
// this key (it is in the source, so it protects nothing).
const DEVELOPMENT_KEY_SEED = "sir-rewards-development-only-key";
const developmentKey = () => createHash("sha256").update(DEVELOPMENT_KEY_SEED).digest();

/** How to make a key, in every refusal: the operator reads it in the log. */
const HOW_TO_GENERATE =
  "Generate one with `openssl rand -hex 32` and keep it: the stored secrets open only with it.";

const PART = "[A-Za-z0-9_-]";
const SEALED_V2 = new RegExp(`^v2:[0-9a-f]{8}:${PART}+:${PART}+:${PART}*$`);
const SEALED_V1 = new RegExp(`^v1:${PART}+:${PART}+:${PART}*$`);

export class EncryptionKeyError extends Error {}

export type EncryptionKeys = {
  /** Seals every new value. */
  current: Buffer;
  /** Older keys, only for opening values sealed before a rotation. */
  previous: Buffer[];
};

function parseKey(raw: string, name: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) {
    throw new EncryptionKeyError(
      `${name} must be 32 bytes (64 hex characters or base64). ${HOW_TO_GENERATE}`,
    );
  }
  return key;
}

export function loadEncryptionKey(env: Record<string, string | undefined> = process.env): Buffer {
  return loadEncryptionKeys(env).current;
}

/**
 * ENCRYPTION_KEY (the current key) and ENCRYPTION_KEY_PREVIOUS (optional: one
 * key, or several separated by commas, that only open older values).
 */
export function loadEncryptionKeys(
  env: Record<string, string | undefined> = process.env,
): EncryptionKeys {
  const raw = env.ENCRYPTION_KEY;
  let current: Buffer;
  if (!raw) {
    if (env.NODE_ENV === "production") {
      throw new EncryptionKeyError(
        `ENCRYPTION_KEY is not set; production needs its own key (32 bytes as 64 hex characters or base64). ${HOW_TO_GENERATE}`,
      );
    }
    current = developmentKey();
  } else {
    current = parseKey(raw, "ENCRYPTION_KEY");
    if (env.NODE_ENV === "production" && current.equals(developmentKey())) {
      throw new EncryptionKeyError(
        `ENCRYPTION_KEY is the development key, which is public; production needs its own. ${HOW_TO_GENERATE}`,
      );
    }
  }
  const previous = (env.ENCRYPTION_KEY_PREVIOUS ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => parseKey(part, "ENCRYPTION_KEY_PREVIOUS"))
    .filter((key) => !key.equals(current));
  return { current, previous };
}

/**
 * A short, public name for a key: 8 hex characters of a hash of it, so a
 * sealed value says which key opens it without saying anything about the key.
 */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256")
    .update("sir-rewards:encryption-key-id:")
    .update(key)
    .digest("hex")
    .slice(0, 8);
}

/** Whether a stored value is one of ours (either format), as opposed to plain text. */
export function isSealed(value: string): boolean {
  return SEALED_V2.test(value) || SEALED_V1.test(value);
}

export type SecretBox = {
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  encrypt(plainText: string): string;
  decrypt(sealed: string): string;
  /** True unless the value is sealed in the current format with the current key. */
  needsResealing(sealed: string): boolean;
  /** The last four characters, for showing which secret is stored. */
  hint(plainText: string): string;
};

function openWith(key: Buffer, iv: string, tag: string, cipherText: string): string {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  // A wrong key or tampered value fails here (GCM authentication).
  return Buffer.concat([
    decipher.update(Buffer.from(cipherText, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

export function createSecretBox(keys: Buffer | EncryptionKeys = loadEncryptionKeys()): SecretBox {
  const { current, previous } = Buffer.isBuffer(keys) ? { current: keys, previous: [] } : keys;
  const currentId = keyIdOf(current);
  const byId = new Map<string, Buffer>();
  for (const key of [...previous].reverse()) byId.set(keyIdOf(key), key);
  byId.set(currentId, current);
  const all = [current, ...previous];

  return {
    keyId: currentId,
    encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      const cipherText = Buffer.concat([cipher.update(plainText, "utf8"), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), cipherText].map((b) => b.toString("base64url"));
      return [VERSION, currentId, ...parts].join(":");
    },
    decrypt(sealed) {
      if (SEALED_V2.test(sealed)) {
        const [, keyId, iv, tag, cipherText] = sealed.split(":");
        const key = byId.get(keyId);
        if (!key) {
          throw new EncryptionKeyError(
            `A stored secret was sealed with key ${keyId}, which this server does not have: set that key as ENCRYPTION_KEY_PREVIOUS.`,
          );
        }
        return openWith(key, iv, tag, cipherText);
      }
      if (SEALED_V1.test(sealed)) {
        const [, iv, tag, cipherText] = sealed.split(":");
        for (const key of all) {
          try {
            return openWith(key, iv, tag, cipherText);
          } catch {
            // the next key, if any
          }
        }
        throw new EncryptionKeyError(
          "A stored secret opens with none of this server's keys (ENCRYPTION_KEY, ENCRYPTION_KEY_PREVIOUS).",
        );
      }
      throw new Error("Stored secret is not in a recognised format.");
    },
    needsResealing(sealed) {
      return !(SEALED_V2.test(sealed) && sealed.split(":")[1] === currentId);
    },
    hint: (plainText) => `…${plainText.slice(-4)}`,
  };
}

let defaultBox: SecretBox | undefined;
export function secretBox(): SecretBox {
  defaultBox ??= createSecretBox();
  return defaultBox;
}
