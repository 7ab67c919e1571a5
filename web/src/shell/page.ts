// What a console page declares: its address, its title, and whether (and where) it appears in the menu.
import type { ComponentType } from 'preact';

export interface PageProps {
  /** The values of the :parameters of the page's path. */
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface PageDefinition {
  /** Under /console, with :parameters; `:team` is filled with the chosen team for menu links. */
  path: string;
  /** The document title and the menu label. */
  title: string;
  component: ComponentType<PageProps>;
  /** In the menu, in the order of registration; a detail page leaves it out. */
  menu?: boolean;
  /** Only platform admins see it in the menu. */
  admin?: boolean;
}
