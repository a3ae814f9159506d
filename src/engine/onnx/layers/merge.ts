/**
 * Merge layers over inputs of one shape: Add, Subtract, Multiply, Average, Maximum, Minimum. Maximum and
 * Minimum fold pairwise like tf.js, ties going to the earlier input (tf's `a >= b` gradient rule).
 */
import type { LayerEmitter } from '../types.js';

export const merge: LayerEmitter = {
  classes: ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'],
  unsupported(op) {
    const first = op.inputShapes[0].join(',');
    return op.inputShapes.every((s) => s.join(',') === first)
      ? null
      : `${op.className} of inputs with different shapes`;
  },
  forward(ctx, op, xs) {
    const { b } = ctx;
    const n = xs.length;
    switch (op.className) {
      case 'Add':
        return { outputs: [b.sum(xs)], backward: ([dy], need) => need.map((k) => (k ? dy : null)) };
      case 'Subtract':
        return {
          outputs: [b.sub(xs[0], xs[1])],
          backward: ([dy], need) => [need[0] ? dy : null, need[1] ? b.neg(dy) : null],
        };
      case 'Average': {
        const inv = b.scalar(1 / n);
        return {
          outputs: [b.mul(b.sum(xs), inv)],
          backward: ([dy], need) => {
            const d = b.mul(dy, inv);
            return need.map((k) => (k ? d : null));
          },
        };
      }
      case 'Multiply': {
        let y = xs[0];
        for (const x of xs.slice(1)) y = b.mul(y, x);
        return {
          outputs: [y],
          backward: ([dy], need) =>
            need.map((k, i) => {
              if (!k) return null;
              let d = dy;
              xs.forEach((x, j) => {
                if (j !== i) d = b.mul(d, x);
              });
              return d;
            }),
        };
      }
      default: {
        const isMax = op.className === 'Maximum';
        const accs = [xs[0]];
        for (const x of xs.slice(1)) accs.push(b.op(isMax ? 'Max' : 'Min', [accs[accs.length - 1], x]));
        return {
          outputs: [accs[n - 1]],
          backward: ([dy], need) => {
            const out: (string | null)[] = new Array(n).fill(null);
            let d = dy;
            for (let i = n - 1; i >= 1; i--) {
              const a = accs[i - 1];
              // tf: dA = dy·(a ≥ b), dB = dy·(a < b) for maximum; (a ≤ b) / (a > b) for minimum.
              const toB = b.op('Cast', [b.op(isMax ? 'Less' : 'Greater', [a, xs[i]])], { to: 1 });
              if (need[i]) out[i] = b.mul(d, toB);
              d = b.mul(d, b.sub(b.scalar(1), toB));
            }
            if (need[0]) out[0] = d;
            return out;
          },
        };
      }
    }
  },
};
