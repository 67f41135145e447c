// Progress on stderr while a long file is read: a live bar on a terminal, and one plain line at
// the end otherwise (logs and CI output stay readable).
import { SingleBar } from 'cli-progress';

export class Progress {
  private readonly bar: SingleBar | null;
  private readonly started = Date.now();
  private value = 0;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.bar = stream.isTTY
      ? new SingleBar({
          stream,
          format: `${label} |{bar}| {percentage}% | {orders} orders | ETA {eta_formatted}`,
          barCompleteChar: '█',
          barIncompleteChar: '░',
          hideCursor: true,
          etaBuffer: 100,
        })
      : null;
    this.bar?.start(Math.max(1, total), 0, { orders: 0 });
  }

  update(value: number, orders: number): void {
    this.value = value;
    // Redrawing is cheap for cli-progress, but a million calls are not.
    const now = Date.now();
    if (this.bar && now - this.lastDraw > 100) {
      this.lastDraw = now;
      this.bar.update(Math.min(value, this.total), { orders });
    }
  }

  stop(orders: number): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    if (this.bar) {
      this.bar.update(this.total, { orders });
      this.bar.stop();
      return;
    }
    const megabytes = (Math.max(this.value, this.total) / 1e6).toFixed(1);
    this.stream.write(`${this.label}: ${orders} orders, ${megabytes} MB in ${seconds} s\n`);
  }
}
