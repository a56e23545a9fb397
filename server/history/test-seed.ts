// Moved to server/testing/queries.ts; kept only for bench/history.ts, which branch speed owns: delete this
// file once that bench imports from '../server/testing/queries.ts'.
export {
  seedEvent,
  seedRows,
  seedTicks,
  seedTicksInSlices,
  type SeedRow,
  type SeedStream,
} from '../testing/queries.ts';
