import { randomBytes } from "node:crypto";

/** 24 hex characters, like the Mongo-style ids in SIR's examples ("65f1..."). */
export const newObjectId = () => randomBytes(12).toString("hex");

/** 64 hex characters, the documented shape of key material and HMAC secrets. */
export const newKeyMaterial = () => randomBytes(32).toString("hex");

export const newEventId = () => `evt_${randomBytes(12).toString("hex")}`;

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString("hex")}`;
