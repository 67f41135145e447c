// The task channel: a call, meeting, letter or gift becomes a Task row in the store, the work
// queue a rep picks from. Idempotent on the touch point, so a resend writes nothing new.
import { TASK_KINDS, type ChannelName, type Millis, type Task, type TaskKind } from '../core/domain.js';
import type { TaskStore } from '../store/ports/tasks.js';
import { ChannelError, type Channel, type OutboundMessage, type SendReceipt } from './port.js';

const TASK_CHANNELS: readonly ChannelName[] = ['task:call', 'task:meeting', 'task:letter', 'task:gift'];

export function taskIdFor(touchPointId: string): string {
  return `task:${touchPointId}`;
}

export class TaskChannel implements Channel {
  readonly handles = TASK_CHANNELS;

  constructor(
    private readonly tasks: TaskStore,
    private readonly now: () => Millis,
  ) {}

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const task = this.taskFor(message);
    try {
      // false = this touch point already has its task (a resend after a crash): same receipt.
      await this.tasks.create(task);
    } catch (error) {
      throw new ChannelError('retryable', 'TASK_STORE', `could not create ${task.id}`, { cause: error });
    }
    return { providerId: task.id };
  }

  private taskFor(message: OutboundMessage): Task {
    const kind = kindOf(message.channel);
    if (kind === null) {
      throw new ChannelError('permanent', 'NOT_A_TASK', `${message.channel} is not a task channel`);
    }
    const now = this.now();
    return {
      id: taskIdFor(message.touchPointId),
      touchPointId: message.touchPointId,
      customerId: message.customerId,
      orderId: message.orderId,
      concernId: null,
      // The channel decides the kind: it is what the playbook step asked for.
      kind,
      title: message.task?.title || message.subject,
      script: message.text,
      dueAt: message.task?.dueAt ?? now,
      owner: message.task?.owner ?? null,
      status: 'open',
      outcome: null,
      notes: null,
      createdAt: now,
      completedAt: null,
    };
  }
}

function kindOf(channel: ChannelName): TaskKind | null {
  const kind = channel.startsWith('task:') ? channel.slice('task:'.length) : '';
  return (TASK_KINDS as readonly string[]).includes(kind) ? (kind as TaskKind) : null;
}
