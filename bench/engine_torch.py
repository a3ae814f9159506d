"""PyTorch CPU reference for bench/engine.ts: builds the model from morphnet's op graph (JSON on stdin),
trains it with SGD momentum on random batches and prints the median step time as JSON.

Usage: python3 bench/engine_torch.py THREADS BATCH WARMUP STEPS < graph.json
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def pair(v, default):
    if v is None:
        return default
    if isinstance(v, (int, float)):
        return (int(v), int(v))
    if len(v) == 1:
        return (int(v[0]), int(v[0]))
    return (int(v[0]), int(v[1]))


def tf_pads(size, out, k, s, d, padding):
    if padding != 'same':
        return (0, 0)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return (total // 2, total - total // 2)


def act_fn(name):
    key = (name or 'linear').lower().replace('_', '')
    return {
        'linear': lambda x: x,
        'relu': F.relu,
        'relu6': F.relu6,
        'sigmoid': torch.sigmoid,
        'tanh': torch.tanh,
        'softmax': lambda x: F.softmax(x, 1),
        'swish': F.silu,
        'elu': F.elu,
    }[key]


def activation_name(cfg):
    a = cfg.get('activation')
    if isinstance(a, dict):
        return a.get('class_name', 'linear')
    return a or 'linear'


class Window(nn.Module):
    """A conv (plain, depthwise or separable) with TF padding and a fused activation."""

    def __init__(self, op, kind):
        super().__init__()
        cfg = op['config']
        h, w, cin = op['inputShapes'][0]
        oh, ow, cout = op['outputShapes'][0]
        k = pair(cfg.get('kernel_size'), (1, 1))
        s = pair(cfg.get('strides'), (1, 1))
        d = pair(cfg.get('dilation_rate'), (1, 1))
        pad = cfg.get('padding', 'valid')
        ph = tf_pads(h, oh, k[0], s[0], d[0], pad)
        pw = tf_pads(w, ow, k[1], s[1], d[1], pad)
        self.sym = ph[0] == ph[1] and pw[0] == pw[1]
        self.pad = (pw[0], pw[1], ph[0], ph[1])
        padding = (ph[0], pw[0]) if self.sym else 0
        bias = cfg.get('use_bias', True)
        m = cfg.get('depth_multiplier', 1) or 1
        self.convs = nn.ModuleList()
        if kind == 'conv':
            self.convs.append(nn.Conv2d(cin, cout, k, s, padding, d, bias=bias))
        elif kind == 'depthwise':
            self.convs.append(nn.Conv2d(cin, cin * m, k, s, padding, d, groups=cin, bias=bias))
        else:
            self.convs.append(nn.Conv2d(cin, cin * m, k, s, padding, d, groups=cin, bias=False))
            self.convs.append(nn.Conv2d(cin * m, cout, 1, bias=bias))
        self.act = act_fn(op['activation'])

    def forward(self, x):
        if not self.sym:
            x = F.pad(x, self.pad)
        for c in self.convs:
            x = c(x)
        return self.act(x)


class Pool(nn.Module):
    def __init__(self, op):
        super().__init__()
        cfg = op['config']
        h, w, _ = op['inputShapes'][0]
        oh, ow, _ = op['outputShapes'][0]
        k = pair(cfg.get('pool_size'), (2, 2))
        s = pair(cfg.get('strides'), k)
        pad = cfg.get('padding', 'valid')
        ph = tf_pads(h, oh, k[0], s[0], 1, pad)
        pw = tf_pads(w, ow, k[1], s[1], 1, pad)
        self.max = op['className'] == 'MaxPooling2D'
        self.pad = (pw[0], pw[1], ph[0], ph[1])
        self.k, self.s = k, s

    def forward(self, x):
        if any(self.pad):
            x = F.pad(x, self.pad, value=-math.inf if self.max else 0.0)
        return F.max_pool2d(x, self.k, self.s) if self.max else F.avg_pool2d(x, self.k, self.s)


class Net(nn.Module):
    """Runs the op graph in order (tensors NCHW for rank-4, as the onnx engine does)."""

    def __init__(self, graph):
        super().__init__()
        self.ops = [op for op in graph['ops'] if op['className'] != 'InputLayer']
        self.input = graph['inputs'][0]
        self.output = graph['outputs'][0]
        self.mods = nn.ModuleDict()
        for op in self.ops:
            cls, cfg = op['className'], op['config']
            op['activation'] = activation_name(cfg)
            if op['outputs'][0] == self.output and op['activation'] == 'softmax':
                op['activation'] = 'linear'  # the loss takes logits
            key = op['id'].replace('.', '_')
            op['key'] = key
            if cls == 'Conv2D':
                self.mods[key] = Window(op, 'conv')
            elif cls == 'DepthwiseConv2D':
                self.mods[key] = Window(op, 'depthwise')
            elif cls == 'SeparableConv2D':
                self.mods[key] = Window(op, 'separable')
            elif cls == 'Dense':
                self.mods[key] = nn.Linear(op['inputShapes'][0][-1], cfg['units'], bias=cfg.get('use_bias', True))
            elif cls == 'BatchNormalization':
                c = op['inputShapes'][0][-1]
                bn = nn.BatchNorm2d if len(op['inputShapes'][0]) == 3 else nn.BatchNorm1d
                self.mods[key] = bn(c, eps=cfg.get('epsilon', 1e-3), momentum=1 - cfg.get('momentum', 0.99))
            elif cls in ('MaxPooling2D', 'AveragePooling2D'):
                self.mods[key] = Pool(op)
            elif cls == 'Dropout':
                self.mods[key] = nn.Dropout(cfg.get('rate', 0))

    def forward(self, x):
        t = {self.input: x.permute(0, 3, 1, 2).contiguous() if x.dim() == 4 else x}
        for op in self.ops:
            cls, cfg = op['className'], op['config']
            xs = [t[i] for i in op['inputs']]
            x = xs[0]
            if op['key'] in self.mods:
                y = self.mods[op['key']](x)
                if cls in ('Dense',):
                    y = act_fn(op['activation'])(y)
            elif cls == 'Activation':
                y = act_fn(op['activation'])(x)
            elif cls == 'ReLU':
                mv = cfg.get('max_value')
                y = F.relu(x) if mv is None else torch.clamp(x, 0, mv)
            elif cls == 'GlobalAveragePooling2D':
                y = x.mean((2, 3), keepdim=bool(cfg.get('keepdims', False)))
            elif cls == 'GlobalMaxPooling2D':
                y = x.amax((2, 3), keepdim=bool(cfg.get('keepdims', False)))
            elif cls == 'Add':
                y = xs[0]
                for z in xs[1:]:
                    y = y + z
            elif cls == 'Multiply':
                y = xs[0]
                for z in xs[1:]:
                    y = y * z
            elif cls == 'Average':
                y = sum(xs) / len(xs)
            elif cls == 'Maximum':
                y = xs[0]
                for z in xs[1:]:
                    y = torch.maximum(y, z)
            elif cls == 'Concatenate':
                axis = cfg.get('axis', -1)
                rank = len(op['inputShapes'][0]) + 1
                axis = axis + rank if axis < 0 else axis
                if rank == 4:
                    axis = [0, 2, 3, 1][axis]
                y = torch.cat(xs, axis)
            elif cls == 'ZeroPadding2D':
                p = cfg.get('padding', 1)
                if isinstance(p, int):
                    p = [[p, p], [p, p]]
                p = [q if isinstance(q, list) else [q, q] for q in p]
                y = F.pad(x, (p[1][0], p[1][1], p[0][0], p[0][1]))
            elif cls == 'Flatten':
                y = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1) if x.dim() == 4 else x.reshape(x.shape[0], -1)
            else:
                raise SystemExit(f'engine_torch.py: layer class {cls} is not handled')
            t[op['outputs'][0]] = y
        return t[self.output]


def main():
    threads, batch, warmup, steps = (int(a) for a in sys.argv[1:5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    graph = json.load(sys.stdin)
    net = Net(graph)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    shape = graph['inputShape']
    x = torch.randn(batch, *shape)
    y = torch.randint(0, graph['classes'], (batch,))
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        float(loss)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(json.dumps({'threads': threads, 'medianMs': med * 1000, 'examplesPerSecond': batch / med, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
