// A resource state as a badge: the same words as the API (pending, active, succeeded, failed...).
export const StateBadge = (props: { state: string }) => <span class={`state state-${props.state}`}>{props.state}</span>;
