// Core resources as the okeanos wire shows them: list items (keys in the original's order) and the counts.
import type { Static } from '@sinclair/typebox';
import type { Resource } from '../../resources/models.ts';
import { codeOf, failureMessageOf, lambdaApplications, lambdaInstances } from './statuses.ts';
import type { ApplicationItem, InstanceItem } from './wire.ts';

export type CountsForm = 'seed' | 'devel';

const infoOf = (resource: Resource) => resource.spec.info as Record<string, unknown>;

export const instanceItem = (resource: Resource): Static<typeof InstanceItem> => ({
  uuid: resource.metadata.id,
  name: String(resource.spec.displayName),
  instance_info: String(infoOf(resource).instance_info ?? '{}'),
  status: codeOf(lambdaInstances, resource),
  failure_message: failureMessageOf(lambdaInstances, resource),
});

export const applicationItem = (resource: Resource): Static<typeof ApplicationItem> => ({
  uuid: resource.metadata.id,
  description: String(infoOf(resource).description ?? ''),
  name: String(resource.spec.displayName),
  status: codeOf(lambdaApplications, resource),
  failure_message: failureMessageOf(lambdaApplications, resource),
});

/** Counts are strings on the wire; the devel central service answers its figures as a one-element list. */
const counted = (form: CountsForm, seed: number, devel: Record<string, number>) =>
  form === 'devel'
    ? [Object.fromEntries(Object.entries(devel).map(([key, n]) => [key, String(n)]))]
    : { count: String(seed) };

export const usersCount = (form: CountsForm, owners: number) => counted(form, owners, { count: owners });

export const instancesCount = (form: CountsForm, counts: { running: number; created: number }) =>
  counted(form, counts.running, { running_lambda_instances: counts.running, created_lambda_instances: counts.created });

export const applicationsCount = (form: CountsForm, counts: { uploaded: number; started: number }) =>
  counted(form, counts.uploaded, { uploaded_applications: counts.uploaded, running_applications: counts.started });
