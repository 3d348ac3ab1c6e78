/** The nonprofits every sandbox starts with (and keeps across resets). */
import type { Organization, SandboxState } from "./state";

const SEEDED_NONPROFITS = [
  {
    id: "6650a1f0c2b1a10000000001",
    slug: "american-red-cross",
    name: "American Red Cross",
    ein: "53-0196605",
    color: "#d71920",
  },
  {
    id: "6650a1f0c2b1a10000000002",
    slug: "doctors-without-borders",
    name: "Doctors Without Borders, USA",
    ein: "13-3433452",
    color: "#ee0000",
  },
  {
    id: "6650a1f0c2b1a10000000003",
    slug: "world-wildlife-fund",
    name: "World Wildlife Fund",
    ein: "52-1693387",
    color: "#222222",
  },
  {
    id: "6650a1f0c2b1a10000000004",
    slug: "feeding-america",
    name: "Feeding America",
    ein: "36-3673599",
    color: "#f26522",
  },
];

export function seedOrganizations(state: SandboxState): void {
  for (const { color, ...nonprofit } of SEEDED_NONPROFITS) {
    const organization: Organization = {
      ...nonprofit,
      logoUrl: initialsLogo(nonprofit.name, color),
      status: "ACTIVE",
    };
    state.organizations.set(organization.slug, organization);
  }
}

/** A self-contained SVG data URL, so storefront pages need no network access for logos. */
function initialsLogo(name: string, color: string): string {
  const initials = name
    .split(/\s+/)
    .filter((word) => /^[A-Z]/.test(word))
    .slice(0, 3)
    .map((word) => word[0])
    .join("");
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="16" fill="${color}"/>` +
    `<text x="48" y="58" font-family="sans-serif" font-size="30" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
