// Mail that is not a reply although it arrives like one: auto-replies (out of office, ticket
// receipts) and bounces. They are ignored with a reason, never put on a customer's timeline:
// a bounce is not the customer speaking, and an out-of-office must not pause their program.

export type NotAReply = 'auto_reply' | 'bounce';

export interface MailFacts {
  /** Header values by lower-case name (first value of each). */
  headers: ReadonlyMap<string, string>;
  subject: string;
  /** The sender's address, lower-case. */
  from: string;
  /** The SMTP envelope sender when known: '' for the null sender `<>` that bounces use. */
  envelopeFrom?: string | null;
}

const AUTO_SUBJECT =
  /^\s*(auto(matic)?[ -]?(reply|response|antwort)|automatische antwort|out of (the )?office|ooo\b|abwesend|abwesenheit|away from (the )?office|i am (currently )?(out|away)|ich bin (derzeit |zurzeit )?nicht im büro)/i;
const BOUNCE_SUBJECT =
  /^\s*(undeliver(ed|able)|delivery status notification|mail delivery (failed|failure|subsystem)|returned mail|failure notice|unzustellbar|nicht zustellbar|delivery has failed)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster)@/i;

export function notAReply(mail: MailFacts): NotAReply | null {
  const header = (name: string): string => (mail.headers.get(name) ?? '').trim().toLowerCase();
  const contentType = header('content-type');
  if (
    mail.envelopeFrom === '' ||
    BOUNCE_SENDER.test(mail.from) ||
    (contentType.startsWith('multipart/report') && contentType.includes('delivery-status')) ||
    BOUNCE_SUBJECT.test(mail.subject)
  )
    return 'bounce';
  const submitted = header('auto-submitted');
  if (submitted !== '' && submitted !== 'no') return 'auto_reply';
  if (/^(bulk|auto_reply|junk|list)$/.test(header('precedence'))) return 'auto_reply';
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'auto_reply';
  if (AUTO_SUBJECT.test(mail.subject)) return 'auto_reply';
  return null;
}
