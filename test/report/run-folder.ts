/** Writes the fabricated run as a run folder on disk (summary, phase folders, Pareto file). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fabricatedPareto, fabricatedPhases, fabricatedSummary } from './fixture.js';

export async function writeFabricatedRun(dir: string, withPareto = true): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'summary.json'), JSON.stringify(fabricatedSummary()));
  for (const phase of fabricatedPhases()) {
    await mkdir(join(dir, phase.name), { recursive: true });
    if (phase.history) await writeFile(join(dir, phase.name, 'history.json'), JSON.stringify(phase.history));
    if (phase.structure)
      await writeFile(join(dir, phase.name, 'structure.json'), JSON.stringify(phase.structure));
  }
  if (withPareto) await writeFile(join(dir, 'pareto.json'), JSON.stringify(fabricatedPareto()));
}
