// Who the customer is dealing with: the business's name and the ways to reach it. Loaded from
// config at the edge; templates see it as `business.*` (snake_case keys).

export interface BusinessInfo {
  name: string;
  website: string | null;
  /** Where customers ask for help; named in every reassurance message. */
  supportEmail: string;
  supportPhone: string | null;
  /** The person a customer can escalate to when support does not solve it. */
  escalationName: string;
  escalationEmail: string;
  /** Printed in the footer of every message (anti-spam laws ask for it). */
  postalAddress: string;
  fromEmail: string;
}
