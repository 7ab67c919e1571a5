// Every page of the console, one line each: adding a page is adding its line here (see the README, "Web console").
// The first path that matches wins: a fixed path (/new) comes before a parameter (/:id).
import type { PageDefinition } from '../shell/page.ts';
import { CertificatesPage } from './account/certificates.tsx';
import { KeyPairsPage } from './account/keypairs.tsx';
import { TokensPage } from './account/tokens.tsx';
import { AdminTeamsPage } from './admin/teams.tsx';
import { AdminUsersPage } from './admin/users.tsx';
import { BillingPage } from './billing/billing.tsx';
import { OverviewPage } from './overview.tsx';
import { CreateResourcePage } from './resources/create.tsx';
import { ResourcePage } from './resources/detail.tsx';
import { ResourcesPage } from './resources/list.tsx';
import { TeamPage } from './teams/team.tsx';
import { TeamsPage } from './teams/teams.tsx';

export const pages: PageDefinition[] = [
  { path: '/', title: 'Overview', component: OverviewPage, menu: true },
  { path: '/teams', title: 'Teams', component: TeamsPage, menu: true },
  { path: '/teams/:team', title: 'Team', component: TeamPage },
  { path: '/teams/:team/resources', title: 'Resources', component: ResourcesPage, menu: true },
  { path: '/teams/:team/resources/new', title: 'Create a resource', component: CreateResourcePage },
  { path: '/teams/:team/resources/:id', title: 'Resource', component: ResourcePage },
  { path: '/keypairs', title: 'Key pairs', component: KeyPairsPage, menu: true },
  { path: '/tokens', title: 'API tokens', component: TokensPage, menu: true },
  { path: '/certificates', title: 'Certificates', component: CertificatesPage, menu: true },
  { path: '/billing', title: 'Billing', component: BillingPage, menu: true },
  { path: '/admin/users', title: 'Users', component: AdminUsersPage, menu: true, admin: true },
  { path: '/admin/teams', title: 'All teams', component: AdminTeamsPage, menu: true, admin: true },
];
