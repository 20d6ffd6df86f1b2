import { type CollectionOptions, type Db, MongoClient } from 'mongodb';
import { mongoDatabaseName } from '../view-store/mongo-view-store';
import {
  assertCheckpointId,
  type Checkpoint,
  type CheckpointState,
  type CheckpointStore,
  type CheckpointStoreOptions,
  checkpointOf,
} from './checkpoint-store';

/*
 * A `checkpoints` collection of { _id, position, state?, updatedAt }. A save replaces one
 * document, which MongoDB does atomically, so the position and state always go together.
 */

type Stored = { _id: string; position: number; state?: CheckpointState; updatedAt: Date };
/** Where the view store kept projections' checkpoints before they had their own port. */
type Legacy = { _id: string; position: number; version: number; updatedAt: Date };

/**
 * Read what a majority holds and write until a majority holds it: on a replica set a failover
 * can roll back what only the old primary had, and a checkpoint read or kept that way could
 * skip events whose view writes were rolled back, or replay from one that was.
 */
export const checkpointConcerns: CollectionOptions = {
  readConcern: { level: 'majority' },
  writeConcern: { w: 'majority' },
};

export const openMongoCheckpointStore = async (
  url: string,
  options: CheckpointStoreOptions = {},
): Promise<CheckpointStore> => {
  const client = new MongoClient(url, { ignoreUndefined: true });
  await client.connect();
  try {
    const store = await mongoCheckpointStore(client.db(mongoDatabaseName(url)), options);
    return {
      ...store,
      close: async () => {
        await client.close();
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
};

/** The checkpoint store over a database; closing it is the client's owner's job. */
export const mongoCheckpointStore = async (db: Db, options: CheckpointStoreOptions = {}): Promise<CheckpointStore> => {
  const now = options.now ?? (() => new Date());
  const checkpoints = db.collection<Stored>('checkpoints', checkpointConcerns);
  // Carried over once; $setOnInsert never overwrites one saved since, so starting twice is harmless.
  const legacy = await db.collection<Legacy>('_checkpoints').find().toArray();
  if (legacy.length > 0) {
    await checkpoints.bulkWrite(
      legacy.map(({ _id, position, version, updatedAt }) => ({
        updateOne: {
          filter: { _id },
          update: { $setOnInsert: { position, state: { version }, updatedAt } },
          upsert: true,
        },
      })),
    );
    await db.collection('_checkpoints').drop();
  }
  return {
    load: async <State extends CheckpointState>(id: string): Promise<Checkpoint<State> | undefined> => {
      const entry = await checkpoints.findOne({ _id: id });
      if (!entry) return undefined;
      return checkpointOf(id, entry.position, entry.state as State | undefined, entry.updatedAt);
    },
    save: async (id, position, state) => {
      assertCheckpointId(id);
      // A replacement, so a save without state drops the state an earlier save kept.
      await checkpoints.replaceOne(
        { _id: id },
        state === undefined ? { position, updatedAt: now() } : { position, state, updatedAt: now() },
        { upsert: true },
      );
    },
    delete: async (id) => {
      await checkpoints.deleteOne({ _id: id });
    },
    close: async () => {},
  };
};
