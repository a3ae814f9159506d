/** Helpers for the measured-latency tests: a profile from given coefficients, registered under its name. */
import { readFileSync } from 'node:fs';
import { registerHardware } from '../../src/cost/index.js';
import {
  LATENCY_KINDS,
  profileHardware,
  profileSchema,
  type KindCoefficients,
  type LatencyKind,
  type LatencyProfile,
  type RuntimeName,
} from '../../src/latency/index.js';

/** A real profile measured on this project's machine (onnx-cpu, 2 cores, loaded): realistic coefficients. */
export function fixtureProfile(): LatencyProfile {
  const url = new URL('../fixtures/latency-profile-onnx-cpu.json', import.meta.url);
  return profileSchema.parse(JSON.parse(readFileSync(url, 'utf8')));
}

/** A profile with the given coefficients (every other kind costs nothing). */
export function profileOf(
  kinds: Partial<Record<LatencyKind, Partial<KindCoefficients>>>,
  hardware: RuntimeName = 'onnx-cpu',
): LatencyProfile {
  const all = Object.fromEntries(
    LATENCY_KINDS.map((k) => [k, { a: 0, b: 0, c: 0, d: 0, w: 0, ...kinds[k] }]),
  ) as Record<LatencyKind, KindCoefficients>;
  return { ...fixtureProfile(), hardware, kinds: all };
}

/** Registers a profile's hardware under its runtime's name (as `measuredHardware` does) and returns it. */
export function useProfile(profile: LatencyProfile) {
  const hw = profileHardware(profile);
  registerHardware(hw);
  return hw;
}
