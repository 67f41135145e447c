// The key a customer is found by name with: their name folded for comparison (lower case,
// accents and other marks removed, ø ł ß æ and the like spelled out, runs of spaces made one), so
// "zoe" finds "Zoë Ämmälä" and "ZOE AMMALA" alike. Computed here, once, for every store; the SQL
// stores index it.

/** Letters of their own that NFKD does not take apart, written as people type them without. */
const LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
};

/** Text folded the way names are compared: NFKD, marks dropped, lower case, spaces squeezed. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øłđðħıßæœþ]/gu, (letter) => LETTERS[letter] ?? letter)
    .replace(/\s+/gu, ' ')
    .trimStart();
}

/** "first last" folded; null when the customer has no name (such rows are not in the index). */
export function nameKeyOf(firstName: string | null, lastName: string | null): string | null {
  const key = foldName([firstName ?? '', lastName ?? ''].join(' ')).trim();
  return key === '' ? null : key;
}
