import { DomainError } from '../errors';

export class EdgeNotRegistered extends DomainError {
  readonly code = 'EdgeNotRegistered';
  readonly kind = 'not_found';
  constructor(edgeId: string) {
    super(`Edge ${edgeId} has not registered.`, { edgeId });
  }
}
export class InvalidEdgeConfig extends DomainError {
  readonly code = 'InvalidEdgeConfig';
  readonly kind = 'invalid';
  constructor(why: string) {
    super(`The edge's configuration is not valid: ${why}.`);
  }
}
export class FillLargerThanEdge extends DomainError {
  readonly code = 'FillLargerThanEdge';
  readonly kind = 'invalid';
  constructor(bytes: number, capacityBytes: number) {
    super(`The encoding (${bytes} bytes) is larger than the whole edge (${capacityBytes} bytes).`, {
      bytes,
      capacityBytes,
    });
  }
}
export class InsufficientCapacity extends DomainError {
  readonly code = 'InsufficientCapacity';
  readonly kind = 'conflict';
  constructor(bytes: number, freeBytes: number) {
    super(`The encoding needs ${bytes} bytes and the edge has ${freeBytes} free; evict titles first.`, {
      bytes,
      freeBytes,
    });
  }
}
export class FillNotStarted extends DomainError {
  readonly code = 'FillNotStarted';
  readonly kind = 'conflict';
  constructor(titleId: string, encodingId: string) {
    super(`No fill of ${titleId}/${encodingId} is in progress on this edge.`, { titleId, encodingId });
  }
}
export class EncodingNotHeld extends DomainError {
  readonly code = 'EncodingNotHeld';
  readonly kind = 'not_found';
  constructor(titleId: string, encodingId: string) {
    super(`This edge neither holds nor is filling ${titleId}/${encodingId}.`, { titleId, encodingId });
  }
}
