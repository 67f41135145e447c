// The listening vocabulary: concerns (a customer's problem, owned by a person until resolved),
// their severity and source, typed task outcomes, the reasons behind a temperature, and the
// customer's own choices about what we send. Plain data only, like core/domain.ts.
import type { TipsDone } from '../education/series.js';
import type { ChannelName, Millis, Purpose } from '../domain.js';

export const CONCERN_SOURCES = ['survey', 'reply', 'shipment', 'return', 'task', 'api'] as const;
export type ConcernSource = (typeof CONCERN_SOURCES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONCERN_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];

export interface Escalation {
  /** The ladder level the concern climbed to (0 = the first rung, never an escalation). */
  level: number;
  at: Millis;
}

export interface Concern {
  /** Derived from the event that opened it, so hearing that event twice opens one concern. */
  id: string;
  customerId: string;
  orderId: string | null;
  source: ConcernSource;
  severity: Severity;
  /** What happened, in a sentence a rep can read out: "NPS 2: arrived broken". */
  summary: string;
  status: ConcernStatus;
  /** Index into the escalation ladder's levels. */
  level: number;
  /** The level's name (rep, manager, owner...) or the person who acknowledged it. */
  owner: string | null;
  openedAt: Millis;
  acknowledgedAt: Millis | null;
  resolvedAt: Millis | null;
  resolution: string | null;
  escalations: Escalation[];
  /** The stored timer: when the SLA of the current level passes (null once resolved or at the top). */
  nextEscalationAt: Millis | null;
  /** The event that opened it. */
  sourceEventId: string;
}

/** What a person reports after working a task; each feeds back as a `task.completed` event. */
export const TASK_OUTCOMES = [
  'reached',
  'voicemail',
  'no_answer',
  'resolved',
  'problem_found',
  'callback',
] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

/** One step of a temperature: how much and why, in words a rep can read. */
export interface TemperatureReason {
  delta: number;
  why: string;
  at: Millis;
}

/** What a customer may switch off; transactional messages are not optional. */
export const TOPICS = ['checkins', 'education', 'offers', 'news'] as const;
export type Topic = (typeof TOPICS)[number];

export const OPTIONAL_CHANNELS = ['email', 'sms'] as const;
export type OptionalChannel = (typeof OPTIONAL_CHANNELS)[number];

export interface Preferences {
  topicsOff: Topic[];
  channelsOff: OptionalChannel[];
  /** Nothing optional is sent before this time (a 30-day pause). */
  pausedUntil: Millis | null;
  /**
   * Orders the customer needs no more tips for: they said "I'm all set" from a tip e-mail, or
   * gave the order the top CSAT score (core/education/series.ts). Absent: none.
   */
  tipsDone?: readonly TipsDone[];
}

export const DEFAULT_PREFERENCES: Preferences = Object.freeze({
  topicsOff: [],
  channelsOff: [],
  pausedUntil: null,
});

/** The topic a purpose belongs to; null: transactional, never optional. */
export function topicOf(purpose: Purpose): Topic | null {
  switch (purpose) {
    case 'transactional':
      return null;
    case 'reassurance':
      return 'checkins';
    case 'education':
      return 'education';
    case 'offer':
      return 'offers';
  }
}

/** The channel a preference can switch off; null for work done by people (tasks, webhooks). */
export function optionalChannelOf(channel: ChannelName): OptionalChannel | null {
  return channel === 'email' || channel === 'sms' ? channel : null;
}
