import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createSecretBox, loadEncryptionKey } from "./encryption.server";

describe("secret encryption", () => {
  const box = createSecretBox(randomBytes(32));
  const secret = "sk_test_" + "ab".repeat(32);

  it("round-trips and never stores the plain text", () => {
    const sealed = box.encrypt(secret);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain("sk_test_");
    expect(box.decrypt(sealed)).toBe(secret);
  });

  it("uses a fresh IV each time", () => {
    expect(box.encrypt(secret)).not.toBe(box.encrypt(secret));
  });

  it("refuses a tampered value or another key", () => {
    const sealed = box.encrypt(secret);
    const parts = sealed.split(":");
    const flipped = Buffer.from(parts[3], "base64url");
    flipped[0] ^= 1;
    parts[3] = flipped.toString("base64url");
    expect(() => box.decrypt(parts.join(":"))).toThrow();
    expect(() => createSecretBox(randomBytes(32)).decrypt(sealed)).toThrow();
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
});
