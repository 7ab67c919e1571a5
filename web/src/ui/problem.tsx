// An error from the server, said in the API's own words, in a live region so a screen reader hears it.
import { messageOf } from '../api/client.ts';

export function ErrorMessage(props: { error: unknown; id?: string }) {
  if (props.error === undefined || props.error === null) return null;
  return (
    <p class="error" role="alert" id={props.id}>
      {messageOf(props.error)}
    </p>
  );
}
