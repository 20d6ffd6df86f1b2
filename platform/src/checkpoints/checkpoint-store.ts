/**
 * The checkpoint port: where a reaction to the log has got to. A checkpoint is a position in
 * the event log and, optionally, a small JSON state the reaction must keep together with that
 * position (the edge's fill agent keeps the publishes it has not started yet), saved in one
 * atomic step.
 */

export type CheckpointState = Record<string, unknown>;

export type Checkpoint<State extends CheckpointState = CheckpointState> = {
  id: string;
  /** The position of the last event the reaction is done with. */
  position: number;
  state?: State;
  updatedAt: Date;
};

export interface CheckpointStore {
  load<State extends CheckpointState = CheckpointState>(id: string): Promise<Checkpoint<State> | undefined>;
  /** Replaces the position and the state together, all or nothing. */
  save(id: string, position: number, state?: CheckpointState): Promise<void>;
  delete(id: string): Promise<void>;
  close(): Promise<void>;
}

/** A checkpoint as every adapter gives it back: without a `state` key when none was saved. */
export const checkpointOf = <State extends CheckpointState>(
  id: string,
  position: number,
  state: State | null | undefined,
  updatedAt: Date,
): Checkpoint<State> => ({ id, position, ...(state != null && { state }), updatedAt });

/** The adapters take the clock as an argument, for `updatedAt`. */
export type CheckpointStoreOptions = { now?: () => Date };

const checkpointId = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,150}$/;

export class InvalidCheckpointId extends Error {
  readonly code = 'InvalidCheckpointId';
  constructor(id: string) {
    super(`"${id}" is not a valid checkpoint id: use letters, digits, ".", "_", "-" or "@" (at most 151).`);
    this.name = 'InvalidCheckpointId';
  }
}

/** Every adapter refuses the same ids (the file adapter makes a file name of one). */
export const assertCheckpointId = (id: string) => {
  if (!checkpointId.test(id)) throw new InvalidCheckpointId(id);
};
