/** placeholder */
export function installBatchNormGradient(): void {}
