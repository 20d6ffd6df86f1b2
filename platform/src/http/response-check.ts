import { z } from 'zod';

/*
 * In tests, an API checks what it answers against the response schema its operations declare
 * (the one its OpenAPI document describes and the player's types are generated from), so a
 * test that passes shows the API keeps to its own document.
 */

/** A success answer that strays from its operation's declared response: our bug, a 500. */
export class ResponseMismatch extends Error {
  constructor(
    readonly operation: string,
    readonly issues: readonly z.core.$ZodIssue[],
    problem = `answered what its response schema does not allow:\n${z.prettifyError(new z.ZodError([...issues]))}`,
  ) {
    super(`${operation} ${problem}`);
    this.name = 'ResponseMismatch';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Fields sent that the schema does not know: a `z.object` drops them as it parses, so they are
 * what the parsed answer lacks. The document says `additionalProperties: false`, so each is a
 * stray (and maybe a leak, like a password hash a view gained).
 */
const unknownFields = (sent: unknown, parsed: unknown, path: PropertyKey[] = []): z.core.$ZodIssue[] => {
  if (Array.isArray(sent) && Array.isArray(parsed))
    return sent.flatMap((item, index) => unknownFields(item, parsed[index], [...path, index]));
  if (!isRecord(sent) || !isRecord(parsed)) return [];
  const dropped = Object.keys(sent).filter((key) => !Object.hasOwn(parsed, key));
  const here: z.core.$ZodIssue[] =
    dropped.length === 0
      ? []
      : [
          {
            code: 'unrecognized_keys',
            keys: dropped,
            path,
            message: `Unrecognized key${dropped.length > 1 ? 's' : ''}: ${dropped.map((key) => `"${key}"`).join(', ')}`,
          },
        ];
  return [...here, ...Object.keys(parsed).flatMap((key) => unknownFields(sent[key], parsed[key], [...path, key]))];
};

/** The issues of an answer's body, as the client reads it (JSON), against a response schema. */
export const responseIssues = (schema: z.ZodType, body: unknown): z.core.$ZodIssue[] => {
  const sent: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const parsed = schema.safeParse(sent);
  return parsed.success ? unknownFields(sent, parsed.data) : parsed.error.issues;
};

/**
 * Throws `ResponseMismatch` when a success answer does not match the operation's response
 * schema, answers JSON without declaring one, or declares one and answers none. Other statuses
 * (a 503 `Reply`) are not checked, nor text or HTML from an operation that declares no schema.
 */
export const checkResponse = (
  operation: { method: string; path: string; successStatus: number; response: z.ZodType | undefined },
  answer: { status: number; body: unknown; json: boolean },
) => {
  if (answer.status !== operation.successStatus) return;
  const name = `${operation.method.toUpperCase()} ${operation.path}`;
  if (!operation.response) {
    if (answer.json) throw new ResponseMismatch(name, [], 'answered JSON but declares no response schema.');
    return;
  }
  if (!answer.json) throw new ResponseMismatch(name, [], 'declares a JSON response but answered none.');
  const issues = responseIssues(operation.response, answer.body);
  if (issues.length > 0) throw new ResponseMismatch(name, issues);
};
