// Where an order goes: built from whatever lines a source gives (blank lines dropped, nothing at
// all -> null) and written out as the block a person copies onto an envelope or a parcel.
import type { ShippingAddress } from './domain.js';

const FIELDS = [
  'name',
  'company',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
  'phone',
] as const satisfies readonly (keyof ShippingAddress)[];

/** The address with its lines trimmed; null when no line has anything in it. */
export function shippingAddress(
  parts: Partial<Record<keyof ShippingAddress, unknown>>,
): ShippingAddress | null {
  const address = {} as ShippingAddress;
  let any = false;
  for (const field of FIELDS) {
    const raw = parts[field];
    const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
    address[field] = value === '' ? null : value;
    if (value !== '' && field !== 'phone') any = true;
  }
  return any ? address : null;
}

/**
 * The address as envelope lines: name, company, street lines, "postal code city", region,
 * country. Empty lines are left out; the phone is not part of the block.
 */
export function addressLines(address: ShippingAddress): string[] {
  const town = [address.postalCode, address.city].filter((part) => part !== null).join(' ');
  return [
    address.name,
    address.company,
    address.line1,
    address.line2,
    town === '' ? null : town,
    address.region,
    address.country,
  ].filter((line): line is string => line !== null && line !== '');
}
