import type { OptionSpec } from "../args";

export const SHOP_OPTION: OptionSpec = {
  type: "string",
  value: "<domain>",
  description: "the shop, as its *.myshopify.com domain",
  required: true,
};
