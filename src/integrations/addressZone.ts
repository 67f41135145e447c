// A customer's time zone guessed from a shipping address (country, and the state or province in
// the few large countries that span several zones), so messages land in their daytime even when
// the shop never asked. Null when the address does not settle it.

/** Countries that keep one zone (or whose people overwhelmingly live in one). */
// prettier-ignore
const COUNTRY_ZONES: Readonly<Record<string, string>> = {
  AE: 'Asia/Dubai', AR: 'America/Argentina/Buenos_Aires', AT: 'Europe/Vienna', BE: 'Europe/Brussels',
  BG: 'Europe/Sofia', CH: 'Europe/Zurich', CL: 'America/Santiago', CN: 'Asia/Shanghai',
  CO: 'America/Bogota', CY: 'Asia/Nicosia', CZ: 'Europe/Prague', DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen', EE: 'Europe/Tallinn', EG: 'Africa/Cairo', ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki', FR: 'Europe/Paris', GB: 'Europe/London', GR: 'Europe/Athens',
  HK: 'Asia/Hong_Kong', HR: 'Europe/Zagreb', HU: 'Europe/Budapest', IE: 'Europe/Dublin',
  IL: 'Asia/Jerusalem', IN: 'Asia/Kolkata', IS: 'Atlantic/Reykjavik', IT: 'Europe/Rome',
  JP: 'Asia/Tokyo', KE: 'Africa/Nairobi', KR: 'Asia/Seoul', LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg', LV: 'Europe/Riga', MA: 'Africa/Casablanca', MT: 'Europe/Malta',
  MY: 'Asia/Kuala_Lumpur', NG: 'Africa/Lagos', NL: 'Europe/Amsterdam', NO: 'Europe/Oslo',
  NZ: 'Pacific/Auckland', PE: 'America/Lima', PH: 'Asia/Manila', PK: 'Asia/Karachi',
  PL: 'Europe/Warsaw', PT: 'Europe/Lisbon', RO: 'Europe/Bucharest', RS: 'Europe/Belgrade',
  SA: 'Asia/Riyadh', SE: 'Europe/Stockholm', SG: 'Asia/Singapore', SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava', TH: 'Asia/Bangkok', TR: 'Europe/Istanbul', TW: 'Asia/Taipei',
  UA: 'Europe/Kyiv', VN: 'Asia/Ho_Chi_Minh', ZA: 'Africa/Johannesburg',
};

// prettier-ignore
const US = {
  eastern: 'America/New_York', central: 'America/Chicago', mountain: 'America/Denver',
  arizona: 'America/Phoenix', pacific: 'America/Los_Angeles', alaska: 'America/Anchorage',
  hawaii: 'Pacific/Honolulu',
} as const;

/** By state or province, where a country spans zones; the state's most populous zone wins. */
// prettier-ignore
const REGION_ZONES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  US: {
    CT: US.eastern, DE: US.eastern, DC: US.eastern, FL: US.eastern, GA: US.eastern, IN: US.eastern,
    KY: US.eastern, ME: US.eastern, MD: US.eastern, MA: US.eastern, MI: US.eastern, NH: US.eastern,
    NJ: US.eastern, NY: US.eastern, NC: US.eastern, OH: US.eastern, PA: US.eastern, RI: US.eastern,
    SC: US.eastern, VT: US.eastern, VA: US.eastern, WV: US.eastern, PR: 'America/Puerto_Rico',
    AL: US.central, AR: US.central, IL: US.central, IA: US.central, KS: US.central, LA: US.central,
    MN: US.central, MS: US.central, MO: US.central, NE: US.central, ND: US.central, OK: US.central,
    SD: US.central, TN: US.central, TX: US.central, WI: US.central,
    CO: US.mountain, ID: US.mountain, MT: US.mountain, NM: US.mountain, UT: US.mountain, WY: US.mountain,
    AZ: US.arizona, CA: US.pacific, NV: US.pacific, OR: US.pacific, WA: US.pacific,
    AK: US.alaska, HI: US.hawaii,
  },
  CA: {
    NL: 'America/St_Johns', NS: 'America/Halifax', NB: 'America/Moncton', PE: 'America/Halifax',
    QC: 'America/Toronto', ON: 'America/Toronto', MB: 'America/Winnipeg', SK: 'America/Regina',
    AB: 'America/Edmonton', BC: 'America/Vancouver', YT: 'America/Whitehorse',
    NT: 'America/Yellowknife', NU: 'America/Iqaluit',
  },
  AU: {
    NSW: 'Australia/Sydney', ACT: 'Australia/Sydney', VIC: 'Australia/Melbourne',
    QLD: 'Australia/Brisbane', SA: 'Australia/Adelaide', WA: 'Australia/Perth',
    TAS: 'Australia/Hobart', NT: 'Australia/Darwin',
  },
  MX: { BC: 'America/Tijuana', BCS: 'America/Mazatlan', SON: 'America/Hermosillo', QROO: 'America/Cancun' },
  BR: { AM: 'America/Manaus', AC: 'America/Rio_Branco', MT: 'America/Cuiaba', MS: 'America/Campo_Grande' },
};

/** Where a country has zones by region, the zone most of its people live in otherwise. */
const MAIN_ZONE: Readonly<Record<string, string>> = {
  MX: 'America/Mexico_City',
  BR: 'America/Sao_Paulo',
  RU: 'Europe/Moscow',
  ID: 'Asia/Jakarta',
};

/**
 * ISO 3166-1 alpha-2 country and the provider's state/province code (Shopify `province_code`,
 * Stripe `state`) -> an IANA zone, or null when unknown or ambiguous (a US address without a state).
 */
export function zoneForAddress(country: string | null, region: string | null): string | null {
  const countryCode = country?.trim().toUpperCase() ?? '';
  if (countryCode === '') return null;
  const single = COUNTRY_ZONES[countryCode];
  if (single !== undefined) return single;
  const regionCode = (region ?? '')
    .trim()
    .toUpperCase()
    .replace(/^[A-Z]{2}-/, '');
  const byRegion = REGION_ZONES[countryCode]?.[regionCode];
  return byRegion ?? MAIN_ZONE[countryCode] ?? null;
}
