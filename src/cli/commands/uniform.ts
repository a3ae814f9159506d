/** `morphnet uniform <model> --target T --budget X --out DIR`: the width-multiplier baseline. */
import type { Command } from 'commander';
import { runWidthCommand, widthOptions, type WidthOpts } from './expand.js';

/** Registers the `uniform` command. */
export function registerUniform(program: Command): void {
  widthOptions(
    program
      .command('uniform')
      .description(
        "the uniform baseline: the seed's widths times one factor ω to meet a budget (no MorphNet); writes DIR/model.json (fresh weights) and DIR/structure.json",
      )
      .argument('<model>', 'model.json (tfjs or Keras-converted) or zoo:NAME'),
  ).action((input: string, opts: WidthOpts) => runWidthCommand('uniform', input, opts));
}
