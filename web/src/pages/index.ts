// Every page of the console, one line each: adding a page is adding its line here (see notes in README).
import type { PageDefinition } from '../shell/page.ts';
import { OverviewPage } from './overview.tsx';

export const pages: PageDefinition[] = [{ path: '/', title: 'Overview', component: OverviewPage, menu: true }];
