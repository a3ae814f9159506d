/** Union-find over integer elements (channels), with path halving and union by size. */
export class UnionFind {
  private parent: number[] = [];
  private size: number[] = [];

  /** Adds `n` new singleton elements and returns their ids. */
  add(n: number): Int32Array {
    const ids = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      ids[i] = this.parent.length;
      this.parent.push(ids[i]);
      this.size.push(1);
    }
    return ids;
  }

  /** Number of elements. */
  get count(): number {
    return this.parent.length;
  }

  /** The representative of `x`'s set. */
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  /** Merges the sets of `a` and `b`. */
  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
  }
}
