// Timestamps as Go prints them: time.Time in JSON (RFC 3339 with trimmed nanoseconds) and time.String().
export const goZeroTime = '0001-01-01T00:00:00Z';

const parts = (date: Date) => {
  const [, day, clock, fraction] = /^(.*)T(\d\d:\d\d:\d\d)\.(\d+)Z$/.exec(date.toISOString())!;
  return { day, clock, fraction: fraction.replace(/0+$/, '') };
};

/** `2017-09-26T05:08:07.332Z`: Go's RFC3339Nano in UTC (trailing zeros of the fraction dropped). */
export function goJsonTime(iso: string): string {
  const { day, clock, fraction } = parts(new Date(iso));
  return `${day}T${clock}${fraction ? `.${fraction}` : ''}Z`;
}

/** `2017-09-26 05:06:12.545 +0000 UTC`: Go's time.Time.String() in UTC. */
export function goTimeString(date: Date): string {
  const { day, clock, fraction } = parts(date);
  return `${day} ${clock}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}
