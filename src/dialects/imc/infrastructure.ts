// What a deploy makes, before it has an id: a job (the job table) or a server (an infrastructure description).
import type { NewResource } from '../../resources/resources.ts';

export type Infrastructure = Required<Pick<NewResource, 'kind' | 'labels' | 'spec'>>;
