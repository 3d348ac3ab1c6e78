/**
 * Seed files: a JSON array of partner specs, the same fields as POST /__sandbox/partners plus
 * fixed keys (publicKey, secretKey, hmacSecret) so the demo can use known credentials.
 */
import { readFile } from "node:fs/promises";
import type { Fields } from "./validation";

export async function loadSeedFile(path: string): Promise<Fields[]> {
  const specs: unknown = JSON.parse(await readFile(path, "utf8"));
  if (
    !Array.isArray(specs) ||
    specs.some((spec) => typeof spec !== "object" || spec === null || Array.isArray(spec))
  ) {
    throw new Error(`Seed file ${path} must hold a JSON array of partner objects`);
  }
  return specs as Fields[];
}
