// The made-up world of the demo shop: where customers live (zones chosen for their DST quirks),
// what they buy, and who delivers it. Addresses and numbers use reserved example ranges.

export interface DemoRegion {
  /** IANA zone; '' means "not given" (the business default applies). */
  timezone: string;
  locale: string;
  currency: string;
  /** Local currency units per USD, rounded: keeps prices plausible in each currency. */
  rate: number;
  /** Phone numbers are this prefix padded with random digits to `phoneLength` characters. */
  phonePrefix: string;
  phoneLength: number;
  carriers: readonly string[];
  weight: number;
}

export const REGIONS: readonly DemoRegion[] = [
  {
    timezone: 'America/New_York',
    locale: 'en-US',
    currency: 'USD',
    rate: 1,
    phonePrefix: '+121255501',
    phoneLength: 12,
    carriers: ['UPS', 'USPS', 'FedEx'],
    weight: 16,
  },
  {
    timezone: 'America/Los_Angeles',
    locale: 'en-US',
    currency: 'USD',
    rate: 1,
    phonePrefix: '+131055501',
    phoneLength: 12,
    carriers: ['UPS', 'USPS', 'FedEx'],
    weight: 10,
  },
  {
    timezone: 'America/Chicago',
    locale: 'en-US',
    currency: 'USD',
    rate: 1,
    phonePrefix: '+131255501',
    phoneLength: 12,
    carriers: ['UPS', 'FedEx'],
    weight: 6,
  },
  // Half-hour offset that also observes DST.
  {
    timezone: 'America/St_Johns',
    locale: 'en-CA',
    currency: 'CAD',
    rate: 1.4,
    phonePrefix: '+170955501',
    phoneLength: 12,
    carriers: ['Canada Post', 'Purolator'],
    weight: 2,
  },
  {
    timezone: 'America/Sao_Paulo',
    locale: 'pt-BR',
    currency: 'BRL',
    rate: 5,
    phonePrefix: '+5511955',
    phoneLength: 14,
    carriers: ['Correios'],
    weight: 3,
  },
  {
    timezone: 'Europe/London',
    locale: 'en-GB',
    currency: 'GBP',
    rate: 0.8,
    phonePrefix: '+447700900',
    phoneLength: 13,
    carriers: ['Royal Mail', 'DPD'],
    weight: 10,
  },
  {
    timezone: 'Europe/Berlin',
    locale: 'de-DE',
    currency: 'EUR',
    rate: 0.9,
    phonePrefix: '+4930555',
    phoneLength: 13,
    carriers: ['DHL', 'DPD', 'Hermes'],
    weight: 12,
  },
  {
    timezone: 'Europe/Paris',
    locale: 'fr-FR',
    currency: 'EUR',
    rate: 0.9,
    phonePrefix: '+33155',
    phoneLength: 12,
    carriers: ['Colissimo', 'Chronopost'],
    weight: 7,
  },
  {
    timezone: 'Asia/Kolkata',
    locale: 'en-IN',
    currency: 'INR',
    rate: 83,
    phonePrefix: '+9198555',
    phoneLength: 13,
    carriers: ['Blue Dart', 'Delhivery'],
    weight: 4,
  },
  {
    timezone: 'Asia/Tokyo',
    locale: 'ja-JP',
    currency: 'JPY',
    rate: 150,
    phonePrefix: '+8190555',
    phoneLength: 13,
    carriers: ['Yamato', 'Japan Post'],
    weight: 4,
  },
  // Southern hemisphere: DST runs October to April.
  {
    timezone: 'Australia/Sydney',
    locale: 'en-AU',
    currency: 'AUD',
    rate: 1.5,
    phonePrefix: '+61491570',
    phoneLength: 12,
    carriers: ['Australia Post', 'StarTrack'],
    weight: 6,
  },
  {
    timezone: 'Pacific/Auckland',
    locale: 'en-NZ',
    currency: 'NZD',
    rate: 1.6,
    phonePrefix: '+6421555',
    phoneLength: 12,
    carriers: ['NZ Post', 'CourierPost'],
    weight: 3,
  },
  {
    timezone: '',
    locale: '',
    currency: 'USD',
    rate: 1,
    phonePrefix: '+141555501',
    phoneLength: 12,
    carriers: ['UPS'],
    weight: 4,
  },
];

export interface DemoProduct {
  sku: string;
  name: string;
  category: string;
  /** In USD. */
  price: number;
  /** Shipped goods get carriers and deliveries; digital ones do not. */
  shipped: boolean;
  /** Subscriptions renew after this many months. */
  renewsAfterMonths: number | null;
  /** Quantity range for one line. */
  quantity: readonly [number, number];
}

const item = (
  sku: string,
  name: string,
  category: string,
  price: number,
  extra: Partial<Pick<DemoProduct, 'shipped' | 'renewsAfterMonths' | 'quantity'>> = {},
): DemoProduct => ({
  sku,
  name,
  category,
  price,
  shipped: extra.shipped ?? true,
  renewsAfterMonths: extra.renewsAfterMonths ?? null,
  quantity: extra.quantity ?? [1, 1],
});

export const B2C_PRODUCTS: readonly DemoProduct[] = [
  item('ESP-100', 'Barista Espresso Machine', 'kitchen', 649),
  item('GRN-20', 'Burr Coffee Grinder', 'kitchen', 189),
  item('BEAN-SUB', 'Coffee Beans, monthly subscription', 'subscription', 24, { renewsAfterMonths: 1 }),
  item('HP-ANC', 'Noise-Cancelling Headphones', 'audio', 299),
  item('RUN-42', 'Trail Running Shoes', 'sports', 139),
  item('YOGA-1', 'Cork Yoga Mat', 'sports', 59, { quantity: [1, 2] }),
  item('LAMP-3', 'Brass Reading Lamp', 'home', 79),
  item('TEA-SET', 'Stoneware Tea Set', 'kitchen', 95),
  item('SOFA-L', 'Linen Three-Seat Sofa', 'furniture', 1890),
  item('BIKE-E', 'City E-Bike', 'mobility', 2490),
  item('APP-PLUS', 'Recipe App Plus, monthly', 'software', 8, { shipped: false, renewsAfterMonths: 1 }),
  item('CLEAN-HOME', 'Home Cleaning, monthly visit', 'service', 120, {
    shipped: false,
    renewsAfterMonths: 1,
  }),
];

export const B2B_PRODUCTS: readonly DemoProduct[] = [
  item('CHAIR-ERGO', 'Ergonomic Office Chair', 'office', 420, { quantity: [6, 40] }),
  item('DESK-SIT', 'Sit-Stand Desk', 'office', 690, { quantity: [4, 20] }),
  item('PRN-LASER', 'Laser Printer', 'office', 1250, { quantity: [2, 6] }),
  item('SAAS-TEAM', 'Team Plan, annual', 'software', 4800, { shipped: false, renewsAfterMonths: 12 }),
  item('SUPPORT-PRO', 'Priority Support, annual', 'service', 2400, { shipped: false, renewsAfterMonths: 12 }),
  item('SAAS-SEATS', 'Team Seats, monthly', 'software', 39, {
    shipped: false,
    renewsAfterMonths: 1,
    quantity: [5, 50],
  }),
  item('ONBOARD-PKG', 'Onboarding Workshop', 'service', 1800, { shipped: false }),
];

export const FIRST_NAMES = [
  'Ada',
  'Amara',
  'Ben',
  'Carla',
  'Chen',
  'Dana',
  'Diego',
  'Elif',
  'Emma',
  'Farah',
  'Felix',
  'Grace',
  'Hana',
  'Ines',
  'Ivan',
  'Jonas',
  'Kai',
  'Lea',
  'Liam',
  'Maya',
  'Mateo',
  'Nia',
  'Noah',
  'Olga',
  'Omar',
  'Priya',
  'Rafael',
  'Sofia',
  'Tariq',
  'Uma',
  'Yuki',
  'Zoe',
] as const;

export const LAST_NAMES = [
  'Andersen',
  'Bauer',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'García',
  'Haddad',
  'Ito',
  'Jensen',
  'Kim',
  'Lopez',
  'Müller',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quinn',
  'Rossi',
  'Silva',
  'Tanaka',
  "O'Brien",
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zimmermann',
] as const;

export const COMPANIES = [
  'Northwind Traders',
  'Bluebird Studio',
  'Harbor Logistics',
  'Kestrel Labs',
  'Maple & Finch Law',
  'Orbit Dental Group',
  'Quarry Architects',
  'Riverside Clinic',
  'Summit Accounting',
  'Tidewater Schools',
] as const;

export const SALES_CHANNELS: readonly (readonly [string, number])[] = [
  ['web', 60],
  ['app', 20],
  ['store', 12],
  ['phone', 8],
];

export const RETURN_REASONS = [
  'wrong size',
  'changed my mind',
  'arrived damaged',
  'not as described',
] as const;
export const CANCEL_REASONS = [
  'ordered twice',
  'found it cheaper',
  'delivery too slow',
  'payment issue',
] as const;
export const DELAY_REASONS = ['weather', 'carrier backlog', 'customs', 'address check'] as const;

/** What people write beside their score, by NPS band. */
export const ANSWER_COMMENTS = {
  detractor: [
    'arrived broken',
    'took far too long and nobody told me why',
    'not what the pictures showed',
    'support never called back',
  ],
  passive: ['fine, does the job', 'good, but the delivery was slow', 'ok'],
  promoter: ['love it, thank you!', 'great quality, fast delivery', 'exactly what we needed'],
} as const;
