/**
 * The one error type whose message is meant for the person at the keyboard
 * (a Discord user or a CLI user). Anything else is a bug: log it, apologise.
 * `exitCode` is what the CLI exits with (2 = bad usage/input).
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

export function isUserFacingError(err: unknown): err is UserFacingError {
  return err instanceof UserFacingError;
}
