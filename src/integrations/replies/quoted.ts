// What the customer wrote, without the history their mail program quoted under it and without
// their signature: lines starting with '>', "On ... wrote:" / "Am ... schrieb ...:" and the
// Outlook-style header blocks, "-- " signatures and "Sent from my phone" lines (English and German).
// Reasonable, not perfect: the timeline shows what is left, and a person reads it.

/** Longest text kept on the timeline, in characters. */
export const MAX_REPLY_TEXT = 10_000;

/** Where the quoted history starts: everything from here on is dropped. */
const HISTORY_STARTS: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird; the line is often wrapped before "wrote:".
  /^On\b[^\n]{0,300}(\n[^\n]{0,200})?\bwrote:[ \t]*$/im,
  /^Am\b[^\n]{0,300}(\n[^\n]{0,200})?\bschrieb\b[^\n]{0,200}:[ \t]*$/im,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Forwarded message|Weitergeleitete Nachricht)\s*-{2,}/im,
  // Outlook: a From:/Von: line followed by Sent:/Gesendet:/Date:/Datum: (or To:/An:).
  /^\*?(From|Von):\*?[ \t][^\n]*\n\*?(Sent|Gesendet|Date|Datum|To|An):\*?[ \t]/im,
  /^_{20,}\s*$/m,
];

/** Where a signature starts (the rest of the text goes with it). */
const SIGNATURE_STARTS: RegExp[] = [
  /^-- ?$/m,
  /^(Sent from|Get Outlook for|Von meinem|Gesendet von)\b[^\n]*$/im,
];

export function stripQuoted(text: string): string {
  let body = text.replace(/\r\n?/g, '\n');
  for (const pattern of [...HISTORY_STARTS, ...SIGNATURE_STARTS]) {
    const match = pattern.exec(body);
    if (match !== null) body = body.slice(0, match.index);
  }
  const lines = body.split('\n').filter((line) => !/^\s*>/.test(line));
  const kept = lines
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return kept.length > MAX_REPLY_TEXT ? kept.slice(0, MAX_REPLY_TEXT) : kept;
}
