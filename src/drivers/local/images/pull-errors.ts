// Says in a user's words why a pull failed: the registry has no such image, refused the credentials, could
// not be reached, or the disk is full; the engine retries each with backoff, then fails the resource with it.

const causes: Array<[RegExp, string]> = [
  [/no space left on device|disk quota exceeded/i, 'the disk is full'],
  [/unauthorized|denied|authentication required|forbidden|\b40[13]\b/i, 'access denied by the registry'],
  [/manifest unknown|name unknown|not found|\b404\b/i, 'the registry has no such image'],
  [
    /connection refused|no such host|i\/o timeout|dial tcp|network is unreachable|server misbehaving|tls|eof|timeout/i,
    'the registry is unreachable',
  ],
];

/** The tool's last complaint, trimmed of logrus decoration (`time=... level=fatal msg="..."`). */
const complaint = (stderr: string): string => {
  const line = stderr.trim().split('\n').pop() ?? '';
  return (/msg="(.*)"$/.exec(line)?.[1] ?? line).replace(/\\"/g, '"').slice(0, 500);
};

export const describePullFailure = (stderr: string): string => {
  const detail = complaint(stderr);
  const cause = causes.find(([pattern]) => pattern.test(detail))?.[1] ?? 'the pull failed';
  return `${cause} (${detail || 'no message'})`;
};
