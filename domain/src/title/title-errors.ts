import { DomainError } from '../errors';

export class TitleNotFound extends DomainError {
  readonly code = 'TitleNotFound';
  readonly kind = 'not_found';
  constructor(titleId: string) {
    super(`There is no title ${titleId}.`, { titleId });
  }
}
export class TitleAlreadyExists extends DomainError {
  readonly code = 'TitleAlreadyExists';
  readonly kind = 'conflict';
  constructor(titleId: string) {
    super(`Title ${titleId} already exists; update its metadata instead.`, { titleId });
  }
}
export class InvalidTitleMetadata extends DomainError {
  readonly code = 'InvalidTitleMetadata';
  readonly kind = 'invalid';
  constructor(problems: { field: string; message: string }[]) {
    super(`The title's metadata is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`, {
      problems,
    });
  }
}
export class NothingToUpdate extends DomainError {
  readonly code = 'NothingToUpdate';
  readonly kind = 'invalid';
  constructor() {
    super('The update names no metadata field to change.');
  }
}
export class SourceNotFound extends DomainError {
  readonly code = 'SourceNotFound';
  readonly kind = 'not_found';
  constructor(uploadId: string) {
    super(`Upload ${uploadId} was never recorded for this title; upload the source first.`, { uploadId });
  }
}
export class EncodingNotFound extends DomainError {
  readonly code = 'EncodingNotFound';
  readonly kind = 'not_found';
  constructor(encodingId: string) {
    super(`Encoding ${encodingId} was never started for this title.`, { encodingId });
  }
}
export class EncodingAlreadyFinished extends DomainError {
  readonly code = 'EncodingAlreadyFinished';
  readonly kind = 'conflict';
  constructor(encodingId: string, status: 'succeeded' | 'failed') {
    super(`Encoding ${encodingId} has already ${status}; start a new encoding instead.`, { encodingId, status });
  }
}
export class TitleNotEncoded extends DomainError {
  readonly code = 'TitleNotEncoded';
  readonly kind = 'conflict';
  constructor(titleId: string, why: string) {
    super(`Title ${titleId} cannot be published yet: ${why}.`, { titleId });
  }
}
export class TitleAlreadyPublished extends DomainError {
  readonly code = 'TitleAlreadyPublished';
  readonly kind = 'conflict';
  constructor(titleId: string, encodingId: string) {
    super(`Title ${titleId} is already published with its latest encoding (${encodingId}).`, {
      titleId,
      encodingId,
    });
  }
}
export class TitleNotPublished extends DomainError {
  readonly code = 'TitleNotPublished';
  readonly kind = 'conflict';
  constructor(titleId: string) {
    super(`Title ${titleId} is not published.`, { titleId });
  }
}
