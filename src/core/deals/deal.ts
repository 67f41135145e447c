// A deal: a prospect a salesperson is talking to, before any order. It carries what the order
// will be like (segment, value, products, expected close), the plan the order will get (a
// preview, core/deals/preview.ts) and the meetings agreed with the prospect; once its order
// arrives (core/deals/match.ts) it names that order and customer. Source-neutral: the API, a CSV
// file and CRM webhooks all give a DealInput.
import type { Millis, SaleKind, Segment } from '../domain.js';

export const DEAL_STAGES = ['open', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

export interface DealContact {
  email: string;
  name: string;
  phone: string | null;
  locale: string | null;
  /** IANA zone; null: the business's default zone. */
  timeZone: string | null;
}

export interface DealValue {
  /** In major units of `currency`. */
  amount: number;
  currency: string;
}

/**
 * What happened to a promised meeting once the order arrived: `proposed` (no order yet),
 * `pending` (the order's program will plan it once its moment is known), `kept` (planned at the
 * agreed time), `rescheduled` (the agreed time had passed: planned when the program has it),
 * `broken` (the order's program cannot plan it: a concern was raised).
 */
export const MEETING_STATES = ['proposed', 'pending', 'kept', 'rescheduled', 'broken'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

/** A check-up meeting or call proposed to the prospect: which step, when, and what it is for. */
export interface DealMeeting {
  playbook: string;
  step: string;
  channel: 'task:meeting' | 'task:call';
  /** The agreed time. */
  at: Millis;
  /** The step's description: what the meeting is for (reps' words; the pages use their own). */
  objective: string;
  state: MeetingState;
}

/** A step of the previewed plan the prospect was shown: a promise once the plan is shared. */
export interface PromisedStep {
  playbook: string;
  step: string;
  /** `broken` when the order's program cannot plan it (a concern says so). */
  state: 'promised' | 'planned' | 'broken';
}

export interface Deal {
  /** `deal_...`, or `source:externalId` for a CRM's deal. */
  id: string;
  source: string | null;
  externalId: string | null;
  company: string;
  /** The company's mail domain (lower case), matched against the order's customer. */
  domain: string | null;
  contact: DealContact;
  /** The salesperson who owns it (reps' inbox). */
  owner: string | null;
  expectedCloseAt: Millis;
  value: DealValue;
  segment: Segment;
  kind: SaleKind;
  /** Days from the close until the customer has it in hand (goods) or it starts. */
  leadDays: number;
  products: string[];
  stage: DealStage;
  meetings: DealMeeting[];
  promised: PromisedStep[];
  /** The first time its plan link was handed out (made for the prospect) or opened. */
  sharedAt: Millis | null;
  orderId: string | null;
  customerId: string | null;
  closedAt: Millis | null;
  createdAt: Millis;
  updatedAt: Millis;
}

/** What every source gives: the API, a CSV row, a CRM webhook (after mapping). */
export interface DealInput {
  source?: string | null;
  externalId?: string | null;
  company: string;
  domain?: string | null;
  contact: {
    email: string;
    name: string;
    phone?: string | null;
    locale?: string | null;
    timeZone?: string | null;
  };
  owner?: string | null;
  expectedCloseAt: Millis;
  value: DealValue;
  segment: Segment;
  kind?: SaleKind | null;
  leadDays?: number | null;
  products: string[];
  stage?: DealStage | null;
}

/** The deal id of a CRM's deal, stable across its webhooks; a fresh one otherwise. */
export function dealIdOf(input: Pick<DealInput, 'source' | 'externalId'>, fresh: () => string): string {
  if (input.source && input.externalId) return `${input.source}:${input.externalId}`;
  return `deal_${fresh()}`;
}

export const DEFAULT_LEAD_DAYS: Readonly<Record<SaleKind, number>> = { goods: 7, service: 0, software: 0 };
