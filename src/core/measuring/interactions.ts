// The interaction catalogue: the moments that matter to a customer (order confirmation, delivery,
// first use, a support call, renewal...), each mapped to the playbook steps that serve it, the
// events that mark it and the survey questions whose answers score it. Gap analysis (ipa.ts) and
// team audits (audit.ts) are keyed by its interaction ids. Types here; the parser beside it
// (interactionsParse.ts); the default catalogue is playbooks/interactions.yaml.
import type { EventType, Survey } from '../domain.js';

/** A survey question: the answers to one playbook step's survey. */
export interface InteractionQuestion {
  step: string;
  survey: Survey;
}

export interface Interaction {
  /** Stable key, lower-case slug (`order-confirmation`): audits and action items name it. */
  id: string;
  /** What people call it (`Order confirmation`). */
  name: string;
  description: string | null;
  /** Playbook steps that serve this moment. */
  steps: string[];
  /** Event types that mark it happening. */
  events: EventType[];
  /** Survey questions whose answers measure how well it goes (its measured performance). */
  questions: InteractionQuestion[];
}

export interface InteractionCatalogue {
  /** The playbook whose steps the catalogue names. */
  playbook: string;
  /**
   * The question that stands for overall satisfaction: derived importance is how strongly an
   * interaction's scores move with it across customers. Null: importance is asked (audits) only.
   */
  overall: InteractionQuestion | null;
  interactions: Interaction[];
  /** The file it was read from. */
  source: string;
}

/** What the parser needs to know of a playbook: its name and each step's survey. */
export interface CatalogueTarget {
  name: string;
  steps: readonly { key: string; survey: Survey | null }[];
}
