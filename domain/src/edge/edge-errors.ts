import { refusal } from '../errors';

export class EdgeNotRegistered extends refusal('not_found', (edgeId?: string) => [
  edgeId ? `Edge ${edgeId} has not registered.` : 'This edge has not registered.',
  { edgeId: edgeId ?? null },
]) {}
export class InvalidEdgeConfig extends refusal('invalid', (why: string) => [
  `The edge's configuration is not valid: ${why}.`,
]) {}
export class FillLargerThanEdge extends refusal('invalid', (bytes: number, capacityBytes: number) => [
  `The encoding (${bytes} bytes) is larger than the whole edge (${capacityBytes} bytes).`,
  { bytes, capacityBytes },
]) {}
export class InsufficientCapacity extends refusal('conflict', (bytes: number, freeBytes: number) => [
  `The encoding needs ${bytes} bytes and the edge has ${freeBytes} free; evict titles first.`,
  { bytes, freeBytes },
]) {}
export class FillNotStarted extends refusal('conflict', (titleId: string, encodingId: string) => [
  `No fill of ${titleId}/${encodingId} is in progress on this edge.`,
  { titleId, encodingId },
]) {}
export class EncodingNotHeld extends refusal('not_found', (titleId: string, encodingId: string) => [
  `This edge neither holds nor is filling ${titleId}/${encodingId}.`,
  { titleId, encodingId },
]) {}
