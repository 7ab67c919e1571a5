// The filters of the resource list, kept in the address (?kind=&state=&namespace=&labelSelector=) so a filtered
// list can be bookmarked and survives a reload.
import { navigate } from '../../router.ts';

export const filterNames = ['kind', 'state', 'namespace', 'labelSelector'] as const;
export type Filters = Partial<Record<(typeof filterNames)[number], string>>;

export const filtersOf = (query: URLSearchParams): Filters =>
  Object.fromEntries(filterNames.flatMap((name) => (query.get(name) ? [[name, query.get(name)!]] : [])));

export function ResourceFilters(props: {
  path: string;
  filters: Filters;
  kinds: string[];
  states: string[];
  namespaces: string[];
  selectorError?: string;
}) {
  const { filters } = props;
  const apply = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const name of filterNames) {
      const value = String(data.get(name) ?? '').trim();
      if (value) query.set(name, value);
    }
    const search = query.toString();
    navigate(props.path + (search ? `?${search}` : ''), { replace: true });
  };
  const select = (name: 'kind' | 'state' | 'namespace', label: string, options: readonly string[]) => (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <select
        id={`filter-${name}`}
        name={name}
        value={filters[name] ?? ''}
        onChange={(e) => apply(e.currentTarget.form!)}
      >
        <option value="">any</option>
        {options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </div>
  );
  return (
    <form
      class="filters"
      aria-label="Filter resources"
      onSubmit={(event) => {
        event.preventDefault();
        apply(event.currentTarget);
      }}
    >
      {select('kind', 'Kind', props.kinds)}
      {select('state', 'State', props.states)}
      {select('namespace', 'Namespace', props.namespaces)}
      <div class="field">
        <label for="filter-labelSelector">Label selector</label>
        <input
          id="filter-labelSelector"
          name="labelSelector"
          placeholder="app=web,tier!=db"
          defaultValue={filters.labelSelector ?? ''}
          aria-invalid={props.selectorError ? true : undefined}
          aria-describedby={props.selectorError ? 'filter-labelSelector-error' : undefined}
        />
        {props.selectorError && (
          <p class="field-error" id="filter-labelSelector-error">
            {props.selectorError}
          </p>
        )}
      </div>
      <button type="submit">Apply filters</button>
    </form>
  );
}
