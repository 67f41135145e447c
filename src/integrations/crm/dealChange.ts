// A deal as a CRM reports it, in one shape whatever the CRM: where it stands (open, won, lost),
// whom it is with, when it should close and what it is worth. The HubSpot and Pipedrive mappers
// make these from verified webhook payloads; the inbox drain hands them to a DealChangeSink.

export const CRM_SOURCES = ['hubspot', 'pipedrive'] as const;
export type CrmSource = (typeof CRM_SOURCES)[number];

export const DEAL_STAGES = ['open', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

export interface CrmDealChange {
  /**
   * Unique per change at its source, the same on every redelivery of it (`hubspot:<portal>:
   * <subscription>:<event id>`, `pipedrive:<company>:<deal>:<action>:<time>:<digest>`).
   * A sink applies each id once.
   */
  id: string;
  source: CrmSource;
  /** The CRM's id of the deal (HubSpot's objectId, Pipedrive's deal id), as a string. */
  externalId: string;
  /** The CRM account the deal lives in (HubSpot portal id, Pipedrive company id). */
  account?: string;
  /** A deleted deal is `lost` with `stageLabel: 'deleted'`. */
  stage: DealStage;
  /**
   * The CRM's own name for where the deal stands: HubSpot's internal `dealstage` value
   * (`closedwon`, `appointmentscheduled`, a custom pipeline's numeric id); Pipedrive's `won` or
   * `lost`, else `stage <stage_id>`; `deleted` for a deleted deal.
   */
  stageLabel: string;
  /** The deal's title in the CRM. */
  title?: string;
  company?: string;
  /** The company's web domain, lower-case, without `www.`. */
  domain?: string;
  contact?: { email?: string; name?: string; phone?: string };
  /**
   * The expected close as an ISO 8601 calendar date (`2026-07-15`): CRMs keep a day, not an
   * instant, so the deal's own zone decides when that day begins.
   */
  expectedCloseAt?: string;
  /** In major units of `currency`, as orders keep their totals (core/domain.ts, core/money.ts). */
  value?: { amount: number; currency: string };
  /** Names of the products discussed. */
  products?: string[];
  /** ISO 8601 instant the change happened at the CRM. Later changes of a deal win. */
  occurredAt: string;
}

/**
 * Where the inbox drain hands deal changes (the deals command once it is wired). Delivery is at
 * least once: a provider's retry, a redelivered inbox entry or a crash between `apply` and the
 * inbox's acknowledgement repeat changes, so `apply` must do each `id` once, and must not let a
 * change older than one it applied for the same deal (`occurredAt`) undo it. A rejection leaves
 * the changes in the inbox; they are handed over again when their lease ends.
 */
export interface DealChangeSink {
  apply(changes: CrmDealChange[]): Promise<void>;
}
