import { UserFacingError } from '../errors.js';

export type UpstreamFailure =
  /** No answer within the per-request timeout. */
  | 'timeout'
  /** Connection refused, reset or closed before a full answer. */
  | 'unreachable'
  /** 429 (or 503 with Retry-After) on every try, or a Retry-After longer than we wait. */
  | 'throttled'
  /** 5xx on every try. */
  | 'unavailable'
  /** Any other HTTP status. */
  | 'http'
  /** The service answered with something that cannot be read (malformed or truncated XML/JSON). */
  | 'bad-response'
  /** The service understood and refused the request (arXiv's error entry). */
  | 'rejected'
  /** The service has the record but it lacks what paperbot needs (a title, an abstract). */
  | 'incomplete';

/**
 * An upstream service (arXiv, Hugging Face, a feed) failed. The message is for the person at the
 * keyboard: what happened and what to do ("arXiv did not answer within 10 s (3 tries); try again
 * later"), so it is a UserFacingError; the fields are for logs and callers that decide what next.
 */
export class UpstreamError extends UserFacingError {
  constructor(
    message: string,
    readonly service: string,
    readonly failure: UpstreamFailure,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message, 1);
  }
}

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}
