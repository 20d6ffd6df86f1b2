/**
 * The resumable way in: the tus 1.0.0 protocol (@tus/server on @tus/file-store), for large sources
 * over links that drop. A client creates an upload (POST), sends it in as many PATCHes as it takes
 * and asks where it got to (HEAD) after a break. When the last byte lands the file is hashed and
 * handed to `onUploadFinished`, which decides whether it becomes a source; a file it refuses is removed.
 *
 * An upload is done for the client only once `onUploadFinished` took it: until then the last
 * PATCH answers 503 and a HEAD 423 (both retried by tus clients), and a HEAD of a whole upload
 * not yet taken hands it over again; a taken one is marked so in its record (offset = size).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Logger } from '@marquee/platform';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import type { KvStore, Locker } from '@tus/utils';
import { NotAVideo } from './probe-source';

export type FinishedTusUpload = {
  id: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  /** The client's Upload-Metadata, e.g. `filename` and `titleId`; a key sent without a value is ''. */
  metadata: Record<string, string>;
};

/** What `onUploadFinished` may answer: a 4xx refuses the upload (and removes it), anything else is sent as is. */
export type UploadFinishedAnswer = { status?: number; body?: string };

export type TusUploadsOptions<Req extends IncomingMessage> = {
  directory: string;
  maxBytes: number;
  /** Where the handler is mounted, e.g. '/titles/uploads': upload URLs are built under it. */
  path: string;
  /** Throw NotAVideo to refuse the file with 422; `req` is the request that sent the last byte. */
  onUploadFinished: (upload: FinishedTusUpload, req: Req) => Promise<UploadFinishedAnswer | undefined> | Promise<void>;
  /** Checks a new upload's metadata: a problem it names refuses the upload (400) before a byte is sent. */
  checkMetadata?: (metadata: Record<string, string>) => string | undefined;
  /** Runs before every tus request; what it throws goes to express's error handler, like any route's. */
  authorize?: (req: Req) => Promise<void>;
  /** Build upload URLs from X-Forwarded-Host/Proto, when behind a proxy that sets them. */
  respectForwardedHeaders?: boolean;
  /** Where a server-side failure inside a tus request is reported (the client only hears a 500). */
  logger?: Pick<Logger, 'error' | 'warn'>;
  /**
   * Where uploads are locked and their metadata kept: shared by every instance that serves
   * them (Redis in the command API); tus's in-process defaults otherwise.
   */
  locker?: Locker;
  metadataStore?: KvStore<Upload>;
  /**
   * How long an upload may take from its creation (tus's expiration extension: `Upload-Expires`,
   * 410 after it); none if absent. `sweepUploads` removes what expired.
   */
  expiryMs?: number;
  now?: () => Date;
};

export type TusUploads<Req extends IncomingMessage> = {
  /** An express handler: `app.use(path, uploads.handle)`. */
  handle: (req: Req, res: ServerResponse, next: (error?: unknown) => void) => Promise<void>;
  /** The tus server itself, e.g. for `cleanUpExpiredUploads()`. */
  server: Server;
};

/** The shape @tus/server turns into a response when a hook throws it. */
type TusRefusal = { status_code: number; body: string };
/** The store every instance shares for upload locks (Redis) does not answer: the client may retry. */
export class UploadStoreUnavailable extends Error {
  readonly code = 'UploadStoreUnavailable';
  constructor(cause: unknown) {
    super('the shared upload store (Redis) does not answer', { cause });
    this.name = 'UploadStoreUnavailable';
  }
}

/** The upload is whole, but `onUploadFinished` failed for a passing reason (a busy store): the client retries. */
export class UploadNotTaken extends Error {
  readonly code = 'UploadNotTaken';
  constructor(cause: unknown) {
    super('the upload is whole but could not be recorded just now', { cause });
    this.name = 'UploadNotTaken';
  }
}

/** An upload's record once `onUploadFinished` took it: whole, by its record as well as its file. */
export const isTaken = (record: Pick<Upload, 'size' | 'offset'> | undefined) =>
  record?.size !== undefined && record.offset === record.size;

const isTusRefusal = (error: unknown): error is TusRefusal =>
  typeof (error as { status_code?: unknown } | null)?.status_code === 'number';

// @tus/server hands hooks a web Request that wraps the node one (srvx); the hooks want the original.
const nodeRequestOf = <Req extends IncomingMessage>(req: Request): Req =>
  (req as Request & { runtime: { node: { req: Req } } }).runtime.node.req;

const sha256Of = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  // file-store wrote the file across many PATCHes, so it is hashed once, whole, a chunk at a time.
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

const metadataOf = (upload: Upload): Record<string, string> =>
  Object.fromEntries(Object.entries(upload.metadata ?? {}).map(([key, value]) => [key, value ?? '']));

export const createTusUploads = <Req extends IncomingMessage = IncomingMessage>(
  options: TusUploadsOptions<Req>,
): TusUploads<Req> => {
  const { directory, maxBytes, onUploadFinished, authorize, logger } = options;
  const datastore = new FileStore({
    directory,
    ...(options.metadataStore && { configstore: options.metadataStore }),
    ...(options.expiryMs && { expirationPeriodInMilliseconds: options.expiryMs }),
  });
  // An upload's record, read where no lock was taken first (which would say Redis is down).
  const recordOf = (id: string) =>
    datastore.configstore.get(id).catch((error: unknown) => {
      throw new UploadStoreUnavailable(error);
    });
  const now = options.now ?? (() => new Date());
  // tus answers 410 to an expired upload, after this module's hooks ran: they leave it alone too.
  const hasExpired = (record: Upload) =>
    Boolean(options.expiryMs && record.creation_date) &&
    now().getTime() > new Date(record.creation_date ?? 0).getTime() + (options.expiryMs ?? 0);

  const refuse = async (id: string, refusal: TusRefusal): Promise<never> => {
    await datastore.remove(id).catch((error: unknown) => logger?.error({ err: error, uploadId: id }, 'remove failed'));
    throw refusal;
  };

  const markTaken = async (id: string, sizeBytes: number) => {
    const record = await datastore.configstore.get(id);
    if (record) await datastore.configstore.set(id, { ...record, offset: sizeBytes } as Upload);
  };

  const finish = async (req: Req, upload: Upload) => {
    if (isTaken(await recordOf(upload.id))) return {};
    const path = upload.storage?.path ?? join(directory, upload.id);
    const finished: FinishedTusUpload = {
      id: upload.id,
      path,
      sizeBytes: upload.size ?? upload.offset,
      sha256: await sha256Of(path),
      metadata: metadataOf(upload),
    };
    let answer: UploadFinishedAnswer | undefined;
    try {
      // `|| undefined` turns a callback that returned nothing (void) into a plain undefined.
      answer = (await onUploadFinished(finished, req)) || undefined;
    } catch (error) {
      if (error instanceof NotAVideo) return refuse(upload.id, { status_code: 422, body: error.message });
      throw new UploadNotTaken(error);
    }
    if (answer?.status !== undefined && answer.status >= 400 && answer.status < 500) {
      return refuse(upload.id, { status_code: answer.status, body: answer.body ?? '' });
    }
    // Only saves work: an upload not marked is handed over again (recorded once) or kept by the sweep.
    await markTaken(upload.id, finished.sizeBytes).catch((error: unknown) =>
      logger?.warn({ err: error, uploadId: upload.id }, 'a taken upload could not be marked so'),
    );
    return { ...(answer?.status && { status_code: answer.status }), ...(answer?.body && { body: answer.body }) };
  };

  const server = new Server({
    path: options.path,
    datastore,
    ...(options.locker && { locker: options.locker }),
    maxSize: maxBytes,
    respectForwardedHeaders: options.respectForwardedHeaders ?? false,
    // Upload ids end up in events, so they look like every other id there.
    namingFunction: () => randomUUID(),
    onUploadCreate: async (_req, upload) => {
      if (upload.size === 0) {
        throw { status_code: 422, body: 'The upload is empty; send the video file.' } satisfies TusRefusal;
      }
      const problem = options.checkMetadata?.(metadataOf(upload));
      if (problem !== undefined) throw { status_code: 400, body: problem } satisfies TusRefusal;
      return {};
    },
    onUploadFinish: (req, upload) => finish(nodeRequestOf<Req>(req), upload),
    // A whole upload not yet taken (its last PATCH met a busy store) is handed over again when
    // its client asks where it stands, so the retry a tus client makes records it.
    onIncomingRequest: async (req, id) => {
      if (req.method !== 'HEAD') return;
      const record = await recordOf(id);
      if (!record || isTaken(record) || hasExpired(record)) return;
      const upload = await datastore.getUpload(id).catch(() => undefined);
      if (upload?.size === undefined || upload.offset !== upload.size) return;
      await finish(nodeRequestOf<Req>(req), upload);
    },
    onResponseError: (req, error) => {
      if (isTusRefusal(error)) return undefined;
      if (error instanceof UploadStoreUnavailable) {
        logger?.warn(
          { err: error.cause, method: req.method, url: req.url },
          'tus upload refused: Redis does not answer',
        );
        return {
          status_code: 503,
          body: 'Uploads cannot be locked safely just now (the shared upload store does not answer); resume in a moment.',
        };
      }
      if (error instanceof UploadNotTaken) {
        logger?.warn({ err: error.cause, method: req.method, url: req.url }, 'a whole tus upload was not recorded');
        // A HEAD answers 423, which tus clients retry on the same upload; to a 5xx they would start over.
        return {
          status_code: req.method === 'HEAD' ? 423 : 503,
          body: 'The upload is whole but was not recorded: the store did not take it just now. Resume the upload in a moment and it is recorded once.',
        };
      }
      // Our failure, not the client's: log it whole, and do not tell the client about our insides.
      logger?.error({ err: error, method: req.method, url: req.url }, 'tus upload failed');
      return { status_code: 500, body: 'The server could not handle this upload request; try again later.' };
    },
  });

  const handle: TusUploads<Req>['handle'] = async (req, res, next) => {
    try {
      await authorize?.(req);
      await server.handle(req, res);
    } catch (error) {
      next(error);
    }
  };

  return { handle, server };
};
