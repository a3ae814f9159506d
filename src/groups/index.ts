/** Channel groups: which channels must be pruned together, and which switches decide them. */
export { analyzeGroups } from './analyze.js';
export type { ChannelGroup, GroupAnalysis, SourceSpec, PinReason, ChannelContext } from './types.js';
