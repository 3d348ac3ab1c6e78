import { describe, expect, it } from "vitest";
import { createCipheriv, randomBytes } from "node:crypto";
import {
  createSecretBox,
  isSealed,
  keyIdOf,
  loadEncryptionKey,
  loadEncryptionKeys,
} from "./encryption.server";

// Today's format before key ids, as the previous code wrote it.
function sealV1(key: Buffer, plainText: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const cipherText = Buffer.concat([cipher.update(plainText, "utf8"), cipher.final()]);
  return ["v1", ...[iv, cipher.getAuthTag(), cipherText].map((b) => b.toString("base64url"))].join(
    ":",
  );
}

describe("secret encryption", () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);
  const secret = "sk_test_" + "ab".repeat(32);

  it("round-trips and never stores the plain text", () => {
    const sealed = box.encrypt(secret);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain("sk_test_");
    expect(box.decrypt(sealed)).toBe(secret);
  });

  it("names the key in every sealed value, by a short hash that is not the key", () => {
    const sealed = box.encrypt(secret);
    expect(sealed.split(":").slice(0, 2)).toEqual(["v2", keyIdOf(key)]);
    expect(keyIdOf(key)).toMatch(/^[0-9a-f]{8}$/);
    expect(key.toString("hex")).not.toContain(keyIdOf(key));
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed("shpat_0123456789abcdef")).toBe(false);
  });

  it("uses a fresh IV each time", () => {
    expect(box.encrypt(secret)).not.toBe(box.encrypt(secret));
  });

  it("refuses a tampered value or another key", () => {
    const sealed = box.encrypt(secret);
    const parts = sealed.split(":");
    const flipped = Buffer.from(parts[4], "base64url");
    flipped[0] ^= 1;
    parts[4] = flipped.toString("base64url");
    expect(() => box.decrypt(parts.join(":"))).toThrow();
    expect(() => createSecretBox(randomBytes(32)).decrypt(sealed)).toThrow(
      /ENCRYPTION_KEY_PREVIOUS/,
    );
  });

  it("still reads values written in the v1 format, with the current or a previous key", () => {
    const previous = randomBytes(32);
    const rotated = createSecretBox({ current: key, previous: [previous] });
    expect(rotated.decrypt(sealV1(key, secret))).toBe(secret);
    expect(rotated.decrypt(sealV1(previous, secret))).toBe(secret);
    expect(rotated.needsResealing(sealV1(key, secret))).toBe(true);
    expect(() => box.decrypt(sealV1(randomBytes(32), secret))).toThrow(
      /none of this server's keys/,
    );
  });

  it("opens a value sealed with a previous key, and says it needs resealing", () => {
    const oldKey = randomBytes(32);
    const sealedBefore = createSecretBox(oldKey).encrypt(secret);
    const rotated = createSecretBox({ current: key, previous: [oldKey] });
    expect(rotated.decrypt(sealedBefore)).toBe(secret);
    expect(rotated.needsResealing(sealedBefore)).toBe(true);
    const resealed = rotated.encrypt(rotated.decrypt(sealedBefore));
    expect(rotated.needsResealing(resealed)).toBe(false);
    expect(createSecretBox(key).decrypt(resealed)).toBe(secret);
  });

  it("shows only the last four characters as a hint", () => {
    expect(box.hint(secret)).toBe("…abab");
  });

  it("requires ENCRYPTION_KEY in production and validates its length", () => {
    expect(() => loadEncryptionKey({ NODE_ENV: "production" })).toThrow(/ENCRYPTION_KEY/);
    expect(() => loadEncryptionKey({ NODE_ENV: "production", ENCRYPTION_KEY: "abc" })).toThrow(
      /32 bytes/,
    );
    expect(loadEncryptionKey({ ENCRYPTION_KEY: "11".repeat(32) })).toHaveLength(32);
    expect(loadEncryptionKey({ NODE_ENV: "development" })).toHaveLength(32);
  });

  it("reads ENCRYPTION_KEY_PREVIOUS as one or more keys, and validates each", () => {
    const keys = loadEncryptionKeys({
      ENCRYPTION_KEY: "11".repeat(32),
      ENCRYPTION_KEY_PREVIOUS: `${"22".repeat(32)}, ${Buffer.alloc(32, 3).toString("base64")}`,
    });
    expect(keys.previous.map((k) => k[0])).toEqual([0x22, 3]);
    expect(() =>
      loadEncryptionKeys({ ENCRYPTION_KEY: "11".repeat(32), ENCRYPTION_KEY_PREVIOUS: "short" }),
    ).toThrow(/ENCRYPTION_KEY_PREVIOUS must be 32 bytes/);
  });
});
