// The demo's customers answering the surveys actually sent to them: a sent survey touch point is
// answered (or not) some hours later through intake, tied to that touch point as the survey page
// ties it, so the report can compare the measurement surveys' answers of both groups. How they
// answer depends on their group (known from the touch point) and whether the order went wrong;
// the effect is built in and stated in integrations/demo/effect.ts.
import type { DomainEvent, Millis, Survey, TouchPoint } from '../core/domain.js';
import type { Clock } from '../engine/clock.js';
import type { OutcomeReport } from '../engine/dispatch/batch.js';
import { demoAnswer, type DemoGroup } from '../integrations/demo/effect.js';
import { seededRandom, type Random } from '../integrations/demo/random.js';

const HOUR: Millis = 3_600_000;

export interface DemoRespondentOptions {
  ingest: (events: DomainEvent[]) => Promise<unknown>;
  clock: Clock;
  /** Virtual ms per real ms. */
  speed: number;
  seed: string;
  /** The survey a touch point's step asks, or null. */
  surveyOf: (touchPoint: TouchPoint) => Survey | null;
  /** The order went wrong (late, lost, returned) in the customer's world: they answer lower. */
  troubled: (orderId: string, group: DemoGroup) => boolean;
  onError: (error: unknown) => void;
}

/** The answer a customer gives to a sent survey and when, or null: pure, given the random source. */
export function answerTo(
  report: OutcomeReport,
  options: Pick<DemoRespondentOptions, 'surveyOf' | 'troubled'>,
  random: Random,
): DomainEvent | null {
  if (report.outcome.kind !== 'sent' || !report.applied) return null;
  const tp = report.touchPoint;
  const survey = options.surveyOf(tp);
  if (survey === null) return null;
  const group: DemoGroup = tp.holdout ? 'holdout' : 'treatment';
  const answer = demoAnswer(random, survey, group, options.troubled(tp.orderId, group));
  if (answer === null) return null;
  // Most people answer the same day, some a day or two later.
  const at =
    report.outcome.at +
    random.weighted([
      [random.int(1, 6) * HOUR, 6],
      [random.int(7, 48) * HOUR, 3],
    ] as const);
  return {
    id: `demo-answer:${tp.id}`,
    type: 'survey.answered',
    at,
    customerId: tp.customerId,
    orderId: tp.orderId,
    data: { survey, score: answer.score, comment: answer.comment, touchPointId: tp.id, source: 'demo' },
  };
}

export class DemoRespondent {
  private readonly random: Random;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  answered = 0;

  constructor(private readonly options: DemoRespondentOptions) {
    this.random = seededRandom(`${options.seed}:answers`);
  }

  /** Called with every outcome the worker reports. */
  heard(report: OutcomeReport): void {
    if (this.stopped) return;
    const event = answerTo(report, this.options, this.random);
    if (event === null) return;
    const { clock, speed } = this.options;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (this.stopped) return;
        // Answered when the clock says (a busy process may have carried it past the plan).
        const answered = { ...event, at: clock.now() };
        this.options
          .ingest([answered])
          .then(() => {
            this.answered++;
          })
          .catch(this.options.onError);
      },
      Math.max(0, Math.ceil((event.at - clock.now()) / speed)),
    );
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
