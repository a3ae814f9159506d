/**
 * `morphnet export <model> --onnx FILE`: the model's inference graph as an ONNX file (NHWC input with a
 * symbolic batch dimension, softmax included, the model's own weights), loadable by onnxruntime.
 */
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { MorphnetError } from '../../errors.js';
import { loadModelArg } from '../model-source.js';
import { parseInputShape } from '../parse-options.js';
import { quietTfjs } from '../quiet-tfjs.js';

interface ExportOpts {
  onnx: string;
  inputShape?: string;
  json?: boolean;
}

/** Refuses an output path that exists (the user's file is never replaced) or whose folder is missing. */
async function checkOutputFile(file: string): Promise<void> {
  const exists = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (exists) throw new MorphnetError(`--onnx ${file}: already exists; choose a new file name.`);
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) || '/' : '.';
  const folder = await fs.stat(dir).catch(() => null);
  if (!folder?.isDirectory()) throw new MorphnetError(`--onnx ${file}: the folder ${dir} does not exist.`);
}

/** Registers the `export` command. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      "write a model's inference graph as ONNX (NHWC input, symbolic batch, softmax included), for onnxruntime in any language",
    )
    .argument('<model>', 'model.json (tfjs or Keras-converted) or zoo:NAME')
    .requiredOption('--onnx <FILE>', 'the .onnx file to write (a new file)')
    .option('--input-shape <H,W,C>', 'fill unknown input sizes')
    .option('--json', 'print a JSON summary on stdout')
    .action(async (modelSpec: string, opts: ExportOpts) => {
      const inputShape = opts.inputShape ? parseInputShape(opts.inputShape) : undefined;
      await checkOutputFile(opts.onnx);
      await quietTfjs();
      const { model, hasWeights } = await loadModelArg(modelSpec, { inputShape });
      const { exportOnnx } = await import('../../export/onnx.js');
      const { writeFileAtomic } = await import('../../io/atomic.js');
      const bytes = await exportOnnx(model, { inputShape });
      await writeFileAtomic(opts.onnx, bytes);
      const note = hasWeights ? '' : ' (fresh initial weights: the model has none of its own)';
      if (opts.json)
        process.stdout.write(
          `${JSON.stringify({ command: 'export', onnx: opts.onnx, bytes: bytes.length, weights: hasWeights ? 'model' : 'fresh' }, null, 2)}\n`,
        );
      else process.stdout.write(`wrote ${opts.onnx} (${(bytes.length / 1e6).toFixed(2)} MB)${note}\n`);
    });
}
