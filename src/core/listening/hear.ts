// The hearing reducer: what one event a customer sent (or that happened to them) changes. It opens
// concerns and gives each a person's task at once, acknowledges and resolves them, plans callbacks,
// marks a reply as waiting for a person, and recomputes temperature, open concerns, last NPS and
// engagement. Pure; ids are derived from the event, so hearing an event twice changes nothing more.
import type { Customer, EventType, Millis, StoredEvent, Task, TaskKind, TouchPoint } from '../domain.js';
import { resolveZone } from '../localTime.js';
import { nextOpening } from '../policy/businessHours.js';
import type { PolicyConfig } from '../policy/types.js';
import { noChanges, type ListeningChanges, type ListeningState } from './changes.js';
import { openingOf, surveyAnswerOf, type Opening } from './openers.js';
import type { EscalationRules } from './rules.js';
import { careScript, careTitle, type Happening } from './script.js';
import { temperatureOf } from './temperature.js';
import type { Concern } from './types.js';

export interface HearingContext {
  now: Millis;
  rules: EscalationRules;
  businessHours: PolicyConfig['businessHours'];
  /** For customers without a (valid) zone of their own. */
  defaultTimezone: string;
}

/** Things the customer did themselves: they count as engagement. */
const ENGAGING: ReadonlySet<EventType> = new Set<EventType>([
  'survey.answered',
  'reply.received',
  'customer.preferences_changed',
  'customer.unsubscribed',
]);

/** The outcome written on tasks a resolved concern closes. */
export const CONCERN_RESOLVED_OUTCOME = 'concern_resolved';

export function concernIdFor(eventId: string): string {
  return `concern:${eventId}`;
}

/** Tasks the listener makes are keyed `care:...` (their touch point id is the same key). */
export function careTaskIdFor(concernId: string): string {
  return `care:${concernId}`;
}

interface TaskRequest {
  key: string;
  kind: TaskKind;
  happened: Happening;
  concernId: string | null;
  owner: string | null;
  /** Null: the next business opening in the customer's zone. */
  dueAt: Millis | null;
}

export function hear(state: ListeningState, event: StoredEvent, ctx: HearingContext): ListeningChanges {
  const { now, rules } = ctx;
  const concerns = new Map(state.concerns.map((c) => [c.id, c]));
  const changed = new Map<string, Concern>();
  const requests: TaskRequest[] = [];
  const closeTasks: ListeningChanges['closeTasks'] = [];
  const derived: StoredEvent[] = [];
  let awaitingPersonSince = state.customer.awaitingPersonSince;
  const data = event.data;

  const put = (concern: Concern): void => {
    concerns.set(concern.id, concern);
    changed.set(concern.id, concern);
  };

  const open = (opening: Opening): Concern | null => {
    const id = concernIdFor(event.id);
    if (concerns.has(id)) return null; // heard before
    const base: Concern = {
      id,
      customerId: state.customer.id,
      orderId: event.orderId,
      source: opening.source,
      severity: opening.severity,
      summary: opening.summary,
      status: 'open',
      level: 0,
      owner: rules.ownerAt(0),
      openedAt: now,
      acknowledgedAt: null,
      resolvedAt: null,
      resolution: null,
      escalations: [],
      nextEscalationAt: null,
      sourceEventId: event.id,
    };
    const concern: Concern = { ...base, nextEscalationAt: rules.deadline(base) };
    put(concern);
    requests.push({
      key: careTaskIdFor(id),
      kind: opening.source === 'reply' ? 'reply' : 'call',
      happened: { ...opening, at: event.at, orderId: concern.orderId },
      concernId: id,
      owner: concern.owner,
      dueAt: null,
    });
    if (event.type !== 'concern.raised') {
      derived.push({
        id: `${id}:raised`,
        customerId: state.customer.id,
        orderId: concern.orderId,
        type: 'concern.raised',
        at: event.at,
        data: { concernId: id, source: concern.source, severity: concern.severity, summary: concern.summary },
        receivedAt: now,
      });
    }
    return concern;
  };

  const resolve = (concern: Concern, resolution: string, at: Millis): void => {
    if (concern.status === 'resolved') return;
    put({ ...concern, status: 'resolved', resolvedAt: at, resolution, nextEscalationAt: null });
    for (const task of state.openTasks) {
      if (task.concernId !== concern.id || closeTasks.some((c) => c.id === task.id)) continue;
      closeTasks.push({ id: task.id, status: 'done', outcome: CONCERN_RESOLVED_OUTCOME, at: now });
    }
  };

  switch (event.type) {
    case 'survey.answered': {
      const opening = openingOf(event);
      if (opening !== null && !answersOpenSurveyConcern(state, event)) open(opening);
      break;
    }
    case 'reply.received': {
      const opening = openingOf(event);
      if (opening !== null) open(opening);
      awaitingPersonSince ??= event.at;
      const answered =
        state.openTasks.some((t) => t.kind === 'reply') || requests.some((r) => r.kind === 'reply');
      if (!answered) {
        requests.push({
          key: `care:reply:${event.id}`,
          kind: 'reply',
          happened: { ...replyHappening(data), at: event.at, orderId: event.orderId },
          concernId: null,
          owner: rules.ownerAt(0),
          dueAt: null,
        });
      }
      break;
    }
    case 'concern.raised':
    case 'shipment.delayed':
    case 'shipment.exception':
    case 'order.returned': {
      const opening = openingOf(event);
      if (opening !== null) open(opening);
      break;
    }
    case 'concern.acknowledged': {
      const concern = concerns.get(stringOf(data['concernId']) ?? '');
      const by = stringOf(data['by']);
      if (concern === undefined || concern.status === 'resolved' || by === null) break;
      const acknowledged: Concern = {
        ...concern,
        status: 'acknowledged',
        owner: by,
        acknowledgedAt: concern.acknowledgedAt ?? event.at,
      };
      put({ ...acknowledged, nextEscalationAt: rules.deadline(acknowledged) });
      break;
    }
    case 'concern.resolved': {
      const resolution = stringOf(data['resolution']) ?? 'resolved';
      const id = stringOf(data['concernId']);
      // Without a concern id (a CSV import of resolutions) every unresolved concern is resolved.
      const targets =
        id === null ? [...concerns.values()] : [concerns.get(id)].filter((c) => c !== undefined);
      for (const concern of targets) resolve(concern, resolution, event.at);
      break;
    }
    case 'task.completed': {
      // The task command writes kind and concern into the event and has closed the task already;
      // a completion posted as an event or imported from a CSV names only the task: what it was
      // about comes from the task itself, and the task is closed here.
      const taskId = stringOf(data['taskId']);
      const task = taskId === null ? undefined : state.openTasks.find((t) => t.id === taskId);
      if ((stringOf(data['kind']) ?? task?.kind) === 'reply') awaitingPersonSince = null;
      const outcome = data['outcome'];
      if (task !== undefined) {
        closeTasks.push({ id: task.id, status: 'done', outcome: stringOf(outcome) ?? 'done', at: now });
      }
      const concernId = stringOf(data['concernId']) ?? task?.concernId ?? null;
      const concern = concernId === null ? undefined : concerns.get(concernId);
      if (outcome === 'problem_found') {
        const opening = openingOf(event);
        if (opening !== null) open(opening);
      } else if (outcome === 'resolved' && concern !== undefined) {
        resolve(concern, stringOf(data['notes']) ?? 'resolved with the customer', event.at);
      } else if (outcome === 'callback') {
        const given = data['callbackAt'];
        const callbackAt = typeof given === 'string' ? Date.parse(given) : given;
        if (typeof callbackAt === 'number' && Number.isFinite(callbackAt)) {
          const notes = stringOf(data['notes']);
          requests.push({
            key: `care:callback:${event.id}`,
            kind: 'call',
            happened: {
              summary: `Call back as agreed${notes ? `: ${notes}` : ''}`,
              source: concern ? `callback on concern "${concern.summary}"` : 'callback',
              severity: concern?.severity ?? null,
              at: event.at,
              orderId: event.orderId,
            },
            concernId: concern !== undefined && concern.status !== 'resolved' ? concern.id : null,
            owner: stringOf(data['by']) ?? concern?.owner ?? rules.ownerAt(0),
            dueAt: callbackAt,
          });
        }
      }
      break;
    }
    case 'customer.contact_changed':
    case 'customer.preferences_changed':
    case 'customer.resubscribed':
    case 'customer.unsubscribed':
    case 'email.bounced':
    case 'order.cancelled':
    case 'order.placed':
    case 'order.renewed':
    case 'order.updated':
    case 'order.started':
    case 'order.onboarded':
    case 'purchase.repeated':
    case 'shipment.delivered':
    case 'shipment.in_transit':
    case 'shipment.out_for_delivery':
    case 'shipment.shipped':
      // Heard for temperature and engagement only.
      break;
  }

  // A closed reply task means the reply was handled, unless another one still waits.
  const closedIds = new Set(closeTasks.map((c) => c.id));
  const replyClosed = state.openTasks.some((t) => t.kind === 'reply' && closedIds.has(t.id));
  if (replyClosed && !state.openTasks.some((t) => t.kind === 'reply' && !closedIds.has(t.id))) {
    awaitingPersonSince = null;
  }

  const events = state.events.some((e) => e.id === event.id) ? state.events : [...state.events, event];
  const allConcerns = [...concerns.values()];
  const reading = temperatureOf(
    {
      events: [...events, ...derived],
      touchPoints: state.touchPoints,
      concerns: allConcerns,
      orders: state.orders,
    },
    now,
  );
  const customer: Customer = {
    ...state.customer,
    temperature: reading.temperature,
    temperatureReasons: reading.reasons,
    openConcerns: allConcerns.filter((c) => c.status !== 'resolved').length,
    awaitingPersonSince,
    lastNps: latestNps(events) ?? state.customer.lastNps,
    engagedAt: ENGAGING.has(event.type)
      ? Math.max(state.customer.engagedAt ?? event.at, event.at)
      : state.customer.engagedAt,
  };

  const zone = resolveZone(customer.timezone, ctx.defaultTimezone);
  const dueByDefault = nextOpening(now, zone, ctx.businessHours) ?? now;
  const newTasks = requests.map((r): Task => ({
    id: r.key,
    touchPointId: r.key,
    customerId: customer.id,
    orderId: r.happened.orderId,
    concernId: r.concernId,
    kind: r.kind,
    title: careTitle({ happened: r.happened, customer, kind: r.kind === 'reply' ? 'reply' : 'call' }),
    script: careScript({
      happened: r.happened,
      customer,
      orders: state.orders,
      touchPoints: state.touchPoints,
      zone,
      kind: r.kind === 'reply' ? 'reply' : 'call',
    }),
    dueAt: r.dueAt ?? dueByDefault,
    owner: r.owner,
    status: 'open',
    outcome: null,
    notes: null,
    createdAt: now,
    completedAt: null,
  }));
  return {
    customer,
    concerns: [...changed.values()],
    newTasks,
    closeTasks,
    events: derived,
    newTouchPoints: [],
  };
}

/** The state after `changes` (what the listener carries to the customer's next event). */
export function afterHearing(
  state: ListeningState,
  event: StoredEvent,
  changes: ListeningChanges,
): ListeningState {
  const seen = new Set(state.events.map((e) => e.id));
  const events = [...state.events, ...[event, ...changes.events].filter((e) => !seen.has(e.id))];
  const concerns = new Map(state.concerns.map((c) => [c.id, c]));
  for (const concern of changes.concerns) concerns.set(concern.id, concern);
  const closed = new Set(changes.closeTasks.map((c) => c.id));
  const keys = new Set(state.openTasks.map((t) => t.touchPointId));
  const openTasks = [
    ...state.openTasks.filter((t) => !closed.has(t.id)),
    ...changes.newTasks.filter((t) => !keys.has(t.touchPointId) && !closed.has(t.id)),
  ];
  const planned = new Set(state.touchPoints.map((t) => t.id));
  const touchPoints = [...state.touchPoints, ...changes.newTouchPoints.filter((t) => !planned.has(t.id))];
  return {
    ...state,
    customer: changes.customer ?? state.customer,
    events,
    touchPoints,
    concerns: [...concerns.values()],
    openTasks,
  };
}

/** Several hearings of one customer as one write, in order (later changes of a record win). */
export function mergeChanges(all: readonly ListeningChanges[]): ListeningChanges {
  const concerns = new Map<string, Concern>();
  const tasks = new Map<string, Task>();
  const touchPoints = new Map<string, TouchPoint>();
  const merged = noChanges();
  for (const changes of all) {
    merged.customer = changes.customer ?? merged.customer;
    for (const concern of changes.concerns) concerns.set(concern.id, concern);
    for (const task of changes.newTasks)
      if (!tasks.has(task.touchPointId)) tasks.set(task.touchPointId, task);
    merged.closeTasks.push(...changes.closeTasks);
    merged.events.push(...changes.events);
    for (const tp of changes.newTouchPoints) if (!touchPoints.has(tp.id)) touchPoints.set(tp.id, tp);
  }
  merged.newTouchPoints = [...touchPoints.values()];
  merged.concerns = [...concerns.values()];
  merged.newTasks = [...tasks.values()];
  return merged;
}

/**
 * A changed answer to a survey that already opened a concern still unresolved opens no second
 * one: the person on it sees the new score in the temperature.
 */
function answersOpenSurveyConcern(state: ListeningState, event: StoredEvent): boolean {
  const touchPointId = event.data['touchPointId'];
  if (typeof touchPointId !== 'string') return false;
  const opened = new Set(
    state.concerns
      .filter((c) => c.source === 'survey' && c.status !== 'resolved')
      .map((c) => c.sourceEventId),
  );
  return state.events.some(
    (e) =>
      e.id !== event.id &&
      opened.has(e.id) &&
      e.type === 'survey.answered' &&
      e.data['touchPointId'] === touchPointId,
  );
}

function latestNps(events: readonly StoredEvent[]): number | null {
  let latest: { at: Millis; score: number } | null = null;
  for (const e of events) {
    if (e.type !== 'survey.answered') continue;
    const answer = surveyAnswerOf(e.data);
    if (answer?.survey !== 'nps') continue;
    if (latest === null || e.at >= latest.at) latest = { at: e.at, score: answer.score };
  }
  return latest?.score ?? null;
}

function replyHappening(data: Record<string, unknown>): Pick<Happening, 'summary' | 'source' | 'severity'> {
  const text = stringOf(data['text']) ?? stringOf(data['subject']);
  const short = text !== null && text.length > 200 ? `${text.slice(0, 199)}…` : text;
  return { summary: short ? `Replied: ${short}` : 'Replied', source: 'reply', severity: null };
}

function stringOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
