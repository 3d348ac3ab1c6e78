import { db, type Database } from "../db.server";
import { DEFAULT_EARNING_RULES, type EarningRules } from "../rewards/calculation/settings";

const splitTags = (value: string) => (value ? value.split(",") : []);

export async function getEarningRules(
  shopDomain: string,
  database: Database = db,
): Promise<EarningRules> {
  const row = await database.rewardSettings.findUnique({ where: { shopDomain } });
  if (!row) return DEFAULT_EARNING_RULES;
  return {
    includeShipping: row.includeShipping,
    includeTax: row.includeTax,
    minimumOrderAmount: row.minimumOrderAmount,
    rewardTestOrders: row.rewardTestOrders,
    includePosOrders: row.includePosOrders,
    excludedCustomerTags: splitTags(row.excludedCustomerTags),
    excludedProductTags: splitTags(row.excludedProductTags),
  };
}

export async function saveEarningRules(
  shopDomain: string,
  rules: EarningRules,
  database: Database = db,
) {
  const data = {
    ...rules,
    excludedCustomerTags: rules.excludedCustomerTags.join(","),
    excludedProductTags: rules.excludedProductTags.join(","),
  };
  await database.rewardSettings.upsert({
    where: { shopDomain },
    create: { shopDomain, ...data },
    update: data,
  });
}
