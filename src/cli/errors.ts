// The two ways a command fails: the server said no (a problem document), or the input was wrong.
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, detail: string) {
    super(detail);
    this.status = status;
  }
}

export class UsageError extends Error {}
