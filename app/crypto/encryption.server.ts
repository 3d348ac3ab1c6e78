import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Secrets at rest: AES-256-GCM with a random 96-bit IV per value. Stored as
// "v1:<iv>:<tag>:<ciphertext>" (base64url parts) so the format can evolve.
const VERSION = "v1";

// Development and tests only; production refuses to start without ENCRYPTION_KEY.
const DEVELOPMENT_KEY_SEED = "sir-rewards-development-only-key";

export class EncryptionKeyError extends Error {}

export function loadEncryptionKey(env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env.ENCRYPTION_KEY;
  if (!raw) {
    if (env.NODE_ENV === "production") {
      throw new EncryptionKeyError(
        "ENCRYPTION_KEY is required in production (32 bytes as 64 hex characters or base64).",
      );
    }
    return createHash("sha256").update(DEVELOPMENT_KEY_SEED).digest();
  }
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) {
    throw new EncryptionKeyError("ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64).");
  }
  return key;
}

export type SecretBox = {
  encrypt(plainText: string): string;
  decrypt(sealed: string): string;
  /** The last four characters, for showing which secret is stored. */
  hint(plainText: string): string;
};

export function createSecretBox(key: Buffer = loadEncryptionKey()): SecretBox {
  return {
    encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const cipherText = Buffer.concat([cipher.update(plainText, "utf8"), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), cipherText].map((b) => b.toString("base64url"));
      return [VERSION, ...parts].join(":");
    },
    decrypt(sealed) {
      const [version, iv, tag, cipherText] = sealed.split(":");
      if (version !== VERSION || !iv || !tag || cipherText === undefined) {
        throw new Error("Stored secret is not in a recognised format.");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      // A wrong key or tampered value fails here (GCM authentication).
      return Buffer.concat([
        decipher.update(Buffer.from(cipherText, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
    hint: (plainText) => `…${plainText.slice(-4)}`,
  };
}

let defaultBox: SecretBox | undefined;
export function secretBox(): SecretBox {
  defaultBox ??= createSecretBox();
  return defaultBox;
}
