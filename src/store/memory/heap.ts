// A binary min-heap of nodes that know their own position, so a node can be moved or removed in
// O(log n) when its key changes: the due and lease indexes keep one node per plan or row and
// update it in place instead of piling up entries that went stale. Each position's key (two
// numbers) is kept in arrays beside the nodes, so sifting compares without visiting the nodes;
// only an exact tie asks `tie`.

export interface HeapNode {
  /** Position in the heap; -1 when not in it. Owned by the heap. */
  index: number;
}

export class KeyedHeap<T extends HeapNode> {
  private nodes: T[] = [];
  private firsts: number[] = [];
  private seconds: number[] = [];

  /** `tie`: whether `a` goes first when both keys are equal. */
  constructor(private readonly tie: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.nodes.length;
  }

  peek(): T | undefined {
    return this.nodes[0];
  }

  /** The first key of the top node (call only when the heap is not empty). */
  peekKey(): number {
    return this.firsts[0]!;
  }

  /** Adds `node` with this key, or moves it to where its new key belongs if it is in the heap. */
  set(node: T, first: number, second: number): void {
    let i = node.index;
    if (i < 0) {
      i = this.nodes.length;
      this.nodes.push(node);
      this.firsts.push(first);
      this.seconds.push(second);
    }
    this.place(i, node, first, second);
  }

  remove(node: T): void {
    const i = node.index;
    if (i < 0) return;
    node.index = -1;
    const last = this.nodes.pop()!;
    const first = this.firsts.pop()!;
    const second = this.seconds.pop()!;
    if (last !== node) this.place(i, last, first, second);
  }

  clear(): void {
    for (const node of this.nodes) node.index = -1;
    this.nodes = [];
    this.firsts = [];
    this.seconds = [];
  }

  private before(first: number, second: number, node: T, at: number): boolean {
    const f = this.firsts[at]!;
    if (first !== f) return first < f;
    const s = this.seconds[at]!;
    if (second !== s) return second < s;
    return this.tie(node, this.nodes[at]!);
  }

  /** Puts `node` with its key at position `i`, moved up or down to where it belongs. */
  private place(i: number, node: T, first: number, second: number): void {
    const { nodes, firsts, seconds } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(first, second, node, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    const n = nodes.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child =
        right < n && this.before(firsts[right]!, seconds[right]!, nodes[right]!, left) ? right : left;
      if (this.before(first, second, node, child)) break;
      this.move(child, i);
      i = child;
    }
    nodes[i] = node;
    firsts[i] = first;
    seconds[i] = second;
    node.index = i;
  }

  private move(from: number, to: number): void {
    const node = this.nodes[from]!;
    this.nodes[to] = node;
    this.firsts[to] = this.firsts[from]!;
    this.seconds[to] = this.seconds[from]!;
    node.index = to;
  }
}
